import { Injectable } from '@nestjs/common';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { BadInputError, Clock } from '../../common';
import { organizationCodeTaken, organizationNotFound, regionUnknown } from '../identity.errors';
import { Permission, assertCan } from '../roles';
import { CreateOrganizationDto, OrganizationDto } from './users.dto';
import { OrganizationRow, OrganizationsRepository } from './organizations.repository';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly repo: OrganizationsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditContext,
  ) {}

  /** Organisations are not personal data: anyone logged in may list them. */
  async list(regionCode?: string): Promise<OrganizationDto[]> {
    return (await this.repo.list(regionCode)).map(toDto);
  }

  async create(actor: Actor, dto: CreateOrganizationDto): Promise<OrganizationDto> {
    assertCan(actor, Permission.OrganizationsManage);
    if ((dto.kind === 'department') !== (dto.department !== undefined)) {
      throw new BadInputError('VALIDATION_FAILED', 'department is required for kind department and absent otherwise', {
        fields: [{ field: 'department', problems: ['is required for kind department and absent otherwise'] }],
      });
    }
    if (!(await this.repo.knownScopes([dto.regionCode])).has(dto.regionCode)) throw regionUnknown('regionCode', dto.regionCode);
    if (dto.parentId && !(await this.repo.findById(dto.parentId))) throw organizationNotFound(dto.parentId);
    if (await this.repo.findByCode(dto.code)) throw organizationCodeTaken(dto.code);
    const row = await this.repo.create({ ...dto, department: dto.department ?? null, parentId: dto.parentId ?? null }, this.clock.now());
    this.audit.note({ objectId: row.id });
    return toDto(row);
  }
}

export function toDto(o: OrganizationRow): OrganizationDto {
  return { id: o.id, code: o.code, name: o.name, kind: o.kind, department: o.department, regionCode: o.region_code, parentId: o.parent_id };
}
