import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Actor, CurrentActor, Roles } from '../api';
import { REGION_CODE, REGION_CODE_MESSAGE } from './housing-codes';
import { STOCK_READERS } from './housing-access';
import { ReconciliationReport, ReconciliationService } from './reconciliation.service';

class ReconciliationQuery {
  @ApiPropertyOptional({ example: '510107', description: 'region subtree; default the whole data scope' })
  @IsOptional()
  @Matches(REGION_CODE, { message: `region ${REGION_CODE_MESSAGE}` })
  region?: string;
}

/** 人房对应, 账实相符: where the stock's statuses and the tenancies disagree, and households housed twice. */
@ApiTags('housing')
@Controller('api/housing/reconciliation')
@Roles(...STOCK_READERS)
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  report(@CurrentActor() actor: Actor, @Query() q: ReconciliationQuery): Promise<ReconciliationReport> {
    return this.reconciliation.report(actor, q.region);
  }
}
