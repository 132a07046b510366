import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { IdentityModule } from '../identity';
import { WaitingListEvents } from './waiting-list-events';
import { WaitingListQueries } from './waiting-list-queries.service';
import { WaitingListRules } from './waiting-list-rules.service';
import { WaitingListController } from './waiting-list.controller';
import { WaitingListRepository } from './waiting-list.repository';
import { WaitingListService } from './waiting-list.service';

/** The waiting list (轮候): county lists in priority order, positions, the 3-year alarm, allocation or subsidy. */
@Module({
  imports: [IdentityModule, AuditModule],
  controllers: [WaitingListController],
  providers: [WaitingListRepository, WaitingListService, WaitingListQueries, WaitingListRules, WaitingListEvents],
  exports: [WaitingListService, WaitingListQueries, WaitingListRules, WaitingListEvents],
})
export class WaitingListModule {}
