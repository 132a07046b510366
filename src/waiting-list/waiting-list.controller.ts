import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Role, Roles } from '../api';
import { WaitingListQueries } from './waiting-list-queries.service';
import { WaitingListRules } from './waiting-list-rules.service';
import {
  AddWaitingRuleDto,
  AllocateDto,
  EnqueueDto,
  EntryView,
  ListWaitingQuery,
  MyEntriesView,
  ReasonDto,
  RuleView,
  WaitingListPage,
  WaitingRulesQuery,
  WaitingRulesView,
} from './waiting-list.dto';
import { EnqueueResult, WaitingListService } from './waiting-list.service';

/** County review keeps the list (区县住建); allocation officers allocate from it; the city reads it. */
const READERS = [Role.CountyReviewer, Role.CityReviewer, Role.AllocationOfficer];
const KEEPERS = [Role.CountyReviewer, Role.AllocationOfficer];

@ApiTags('waiting list')
@Controller('api/waiting-list')
export class WaitingListController {
  constructor(
    private readonly service: WaitingListService,
    private readonly queries: WaitingListQueries,
    private readonly rules: WaitingListRules,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'A county’s list in order: priority band, qualification date, case number; 403 outside your region scope' })
  @ApiOkResponse({ type: WaitingListPage })
  list(@CurrentActor() actor: Actor, @Query() q: ListWaitingQuery): Promise<WaitingListPage> {
    return this.queries.list(actor, q);
  }

  @Get('me')
  @Roles(Role.Applicant)
  @ApiOperation({ summary: 'Your own entries: your place in your county’s list and how many are ahead in your priority band' })
  @ApiOkResponse({ type: MyEntriesView })
  mine(@CurrentActor() actor: Actor): Promise<MyEntriesView> {
    return this.queries.mine(actor);
  }

  @Get('rules')
  @Roles(...READERS, Role.PolicyModeler, Role.PolicyApprover)
  @ApiOkResponse({ type: WaitingRulesView })
  ruleList(@Query() q: WaitingRulesQuery): Promise<WaitingRulesView> {
    return this.rules.describe(q.region);
  }

  @Post('rules')
  @Roles(Role.PolicyModeler)
  @ApiOperation({ summary: 'A new version of a region’s waiting-list rule (priority order, longest wait, alarm lead), effective today or later' })
  @ApiCreatedResponse({ type: RuleView })
  addRule(@CurrentActor() actor: Actor, @Body() body: AddWaitingRuleDto): Promise<RuleView> {
    return this.rules.add(actor, body);
  }

  @Post()
  @Roles(...KEEPERS)
  @ApiOperation({ summary: 'Put an approved case on its county’s list (the application process does this at the decision)' })
  @ApiCreatedResponse({ type: EntryView })
  enqueue(@CurrentActor() actor: Actor, @Body() body: EnqueueDto): Promise<EnqueueResult> {
    return this.service.enqueueAs(actor, body.caseNumber, { priorityGroups: body.priorityGroups, qualifiedOn: body.qualifiedOn });
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: EntryView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<EntryView> {
    return this.queries.get(actor, id);
  }

  @Post(':id/allocate')
  @Roles(...KEEPERS)
  @HttpCode(200)
  @ApiOkResponse({ type: EntryView })
  allocate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AllocateDto): Promise<EntryView> {
    return this.service.moveAs(actor, id, 'allocated', body);
  }

  @Post(':id/switch-to-subsidy')
  @Roles(...KEEPERS)
  @HttpCode(200)
  @ApiOkResponse({ type: EntryView })
  switchToSubsidy(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReasonDto): Promise<EntryView> {
    return this.service.moveAs(actor, id, 'switched_to_subsidy', body);
  }

  @Post(':id/remove')
  @Roles(...KEEPERS)
  @HttpCode(200)
  @ApiOkResponse({ type: EntryView })
  remove(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReasonDto): Promise<EntryView> {
    return this.service.moveAs(actor, id, 'removed', body);
  }
}
