import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Role, Roles } from '../api';
import { Audit } from '../audit';
import { ObjectionsService } from './objections.service';
import { PublicityRules } from './publicity-rules.service';
import {
  AddPublicityRuleDto,
  CasePublicityView,
  ListObjectionsQuery,
  ObjectionPage,
  ObjectionView,
  PublicityRuleView,
  PublicityRulesQuery,
  PublicityRulesView,
  PublicityView,
  RevealContactDto,
  RevealedContactView,
  VerifyObjectionDto,
  WithdrawPublicityDto,
} from './publicity.dto';
import { PublicityService } from './publicity.service';

/** The reviewers whose stages publish notices: street (round 1), county and city (round 2). */
const READERS = [Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer];
/** 异议核查: the street office verifies objections to its notices, the county those it reviews. */
const VERIFIERS = [Role.StreetReviewer, Role.CountyReviewer];
const POLICY = [Role.PolicyModeler, Role.PolicyApprover];

/** Staff's view of 公示: a case's notices with their objections, withdrawal, verification, the per-region rule. */
@ApiTags('publicity')
@Controller('api/publicity')
export class PublicityController {
  constructor(
    private readonly publicity: PublicityService,
    private readonly objections: ObjectionsService,
    private readonly rules: PublicityRules,
  ) {}

  @Get('cases/:caseNumber')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every 公示 of a case (both rounds, withdrawn ones too) with its objections' })
  @ApiOkResponse({ type: CasePublicityView })
  ofCase(@CurrentActor() actor: Actor, @Param('caseNumber') caseNumber: string): Promise<CasePublicityView> {
    return this.publicity.ofCaseAs(actor, caseNumber);
  }

  @Get('notices/:id')
  @Roles(...READERS)
  @ApiOkResponse({ type: PublicityView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<PublicityView> {
    return this.publicity.getAs(actor, id);
  }

  @Post('notices/:id/withdraw')
  @Roles(...READERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a scheduled or running notice: it leaves the public list at once' })
  @ApiOkResponse({ type: PublicityView })
  withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: WithdrawPublicityDto): Promise<PublicityView> {
    return this.publicity.withdrawAs(actor, id, body.reason);
  }

  @Get('objections')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Objections in your region scope, soonest verification due first; status pending|upheld|not_upheld' })
  @ApiOkResponse({ type: ObjectionPage })
  objectionList(@CurrentActor() actor: Actor, @Query() q: ListObjectionsQuery): Promise<ObjectionPage> {
    return this.objections.listAs(actor, q);
  }

  @Get('objections/:id')
  @Roles(...READERS)
  @ApiOkResponse({ type: ObjectionView })
  objection(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ObjectionView> {
    return this.objections.getAs(actor, id);
  }

  @Post('objections/:id/verification')
  @Roles(...VERIFIERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the verification outcome (upheld / not_upheld) with reasons; final (409 a second time)' })
  @ApiOkResponse({ type: ObjectionView })
  verify(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: VerifyObjectionDto): Promise<ObjectionView> {
    return this.objections.verifyAs(actor, id, body);
  }

  @Post('objections/:id/reveal')
  @Roles(...READERS)
  @HttpCode(200)
  @Audit({ action: 'publicity.objection.reveal', objectType: 'publicity_objection' })
  @ApiOperation({ summary: 'The objector’s contact in clear (personal_data.reveal and a purpose; audited)' })
  @ApiOkResponse({ type: RevealedContactView })
  reveal(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RevealContactDto): Promise<RevealedContactView> {
    return this.objections.revealContactAs(actor, id, body.purpose);
  }

  @Get('rules')
  @Roles(...READERS, ...POLICY)
  @ApiOperation({ summary: 'The 公示 rule in force for a region (both rounds) and every version on its path' })
  @ApiOkResponse({ type: PublicityRulesView })
  ruleList(@Query() q: PublicityRulesQuery): Promise<PublicityRulesView> {
    return this.rules.describe(q.region);
  }

  @Post('rules')
  @Roles(Role.PolicyModeler)
  @ApiOperation({ summary: 'A new version of a region’s 公示 rule, effective today or later' })
  @ApiCreatedResponse({ type: PublicityRuleView })
  addRule(@CurrentActor() actor: Actor, @Body() body: AddPublicityRuleDto): Promise<PublicityRuleView> {
    return this.rules.add(actor, body);
  }
}
