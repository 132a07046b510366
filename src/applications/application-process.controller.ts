import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor, Role, Roles } from '../api';
import { Audit } from '../audit';
import { Clock } from '../common';
import { ApplicantActions } from './applicant-actions.service';
import { ApplicationPeriodRules } from './application-periods.service';
import { AddPeriodsDto, AppealDto, ApplicationReviewsView, SupplyMaterialsDto, WithdrawApplicationDto } from './application-process.dto';
import { ApplicationProcess } from './application-process.service';
import { ApplicationView } from './application.dto';
import { shanghaiDate } from './household';

/** Staff who work on applications (every casework role). */
const CASEWORK = [Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer, Role.DepartmentChecker, Role.AllocationOfficer];

/** The applicant's side of a running application, and what the process has recorded on it. */
@ApiTags('applications')
@Controller('api/applications')
export class ApplicationProcessController {
  constructor(
    private readonly actions: ApplicantActions,
    private readonly process: ApplicationProcess,
    private readonly periods: ApplicationPeriodRules,
    private readonly clock: Clock,
  ) {}

  @Get('periods/:region')
  @Authenticated()
  @ApiOperation({ summary: 'The statutory periods of the application process in a region (working days): the version in force today and every version on its path' })
  periodsOf(@Param('region') region: string) {
    return this.periods.describe(region, shanghaiDate(this.clock.now()));
  }

  @Post('periods')
  @Roles(Role.PolicyModeler)
  @Audit({ action: 'applications.periods.add', objectType: 'application_period_rules' })
  @ApiOperation({ summary: 'A new version of a region\'s periods (working days), in force from today or later; applications submitted from then on take it' })
  addPeriods(@CurrentActor() actor: Actor, @Body() body: AddPeriodsDto) {
    return this.periods.add(actor, body);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles(Role.Applicant, Role.WindowCaseworker)
  @Audit({ action: 'applications.withdraw', objectType: 'applications' })
  @ApiOperation({ summary: 'Withdraw an application under review (the applicant, or window staff for them); its process stops and its notices are withdrawn' })
  @ApiOkResponse({ type: ApplicationView })
  withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: WithdrawApplicationDto): Promise<ApplicationView> {
    return this.actions.withdrawAs(actor, id, body.reason);
  }

  @Post(':id/materials')
  @HttpCode(200)
  @Roles(Role.Applicant, Role.WindowCaseworker)
  @Audit({ action: 'applications.supply_materials', objectType: 'applications' })
  @ApiOperation({ summary: 'Answer a 补正 notice with the missing materials; when nothing is missing any more the review goes on' })
  @ApiOkResponse({ type: ApplicationView })
  supplyMaterials(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SupplyMaterialsDto): Promise<ApplicationView> {
    return this.actions.supplyMaterialsAs(actor, id, body.materials);
  }

  @Post(':id/appeal')
  @HttpCode(200)
  @Roles(Role.Applicant, Role.WindowCaseworker)
  @Audit({ action: 'applications.appeal', objectType: 'applications' })
  @ApiOperation({ summary: 'Ask for 复核 of a refusal before the deadline its decision names (answered within 15 working days)' })
  @ApiOkResponse({ type: ApplicationView })
  appeal(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AppealDto): Promise<ApplicationView> {
    return this.actions.appealAs(actor, id, body.reason);
  }

  @Get(':id/reviews')
  @Roles(...CASEWORK, Role.Applicant)
  @ApiOperation({ summary: 'The eligibility judgements (with the decision version) and every decision taken on the application' })
  @ApiOkResponse({ type: ApplicationReviewsView })
  reviews(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ApplicationReviewsView> {
    return this.process.reviewsAs(actor, id);
  }
}
