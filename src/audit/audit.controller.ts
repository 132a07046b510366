import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Role, Roles } from '../api';
import { Audit } from './audit.decorators';
import { AuditPageDto, ListAuditQuery, toAuditRowDto } from './audit.dto';
import { AuditService, ChainReport } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
@Roles(Role.AuditAdmin)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Newest first; reading the audit log is itself audited. */
  @Get()
  @Audit({ action: 'audit.read', objectType: 'audit_log' })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@CurrentActor() actor: Actor, @Query() q: ListAuditQuery): Promise<AuditPageDto> {
    const limit = q.limit ?? 100;
    const rows = await this.audit.list(actor, { ...q, limit });
    return { items: rows.map(toAuditRowDto), nextBefore: rows.length === limit ? rows[rows.length - 1].seq : null };
  }

  /** Walks the hash chain; `firstBroken` names the first row that does not continue it. */
  @Get('verify')
  @Audit({ action: 'audit.verify', objectType: 'audit_log' })
  verify(@CurrentActor() actor: Actor): Promise<ChainReport> {
    return this.audit.verifyAs(actor);
  }
}
