import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Role, Roles } from '../api';
import { Audit } from '../audit';
import { ApplicationChecks } from './application-checks.service';
import { ApplicationQueries } from './application-queries.service';
import { ApplicationPage, ApplicationView, ChecksView, GetApplicationQuery, ListApplicationsQuery, RunChecksDto } from './application.dto';
import { ApplicationsService } from './applications.service';
import { SubmitApplicationDto } from './submit-application.dto';

/** Staff who work on applications (every casework role); department checkers read them and their checks. */
const CASEWORK = [Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer, Role.DepartmentChecker, Role.AllocationOfficer];
/** Who may start the online comparison by hand (the process does it too). */
const REVIEWERS = [Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer];

@ApiTags('applications')
@Controller('api/applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly queries: ApplicationQueries,
    private readonly checks: ApplicationChecks,
  ) {}

  @Post()
  @Roles(Role.WindowCaseworker, Role.Applicant)
  @Audit({ action: 'applications.submit', objectType: 'applications' })
  @ApiOperation({ summary: 'Submit an application (an applicant online, or window staff for an applicant); the household is frozen as submitted' })
  @ApiCreatedResponse({ type: ApplicationView })
  submit(@CurrentActor() actor: Actor, @Body() body: SubmitApplicationDto): Promise<ApplicationView> {
    return this.applications.submit(actor, body);
  }

  @Get()
  @Roles(...CASEWORK, Role.Applicant)
  @ApiOperation({ summary: 'Applications in your region scope (applicants: your own), newest first' })
  @ApiOkResponse({ type: ApplicationPage })
  list(@CurrentActor() actor: Actor, @Query() q: ListApplicationsQuery): Promise<ApplicationPage> {
    return this.queries.list(actor, q);
  }

  @Get(':id')
  @Roles(...CASEWORK, Role.Applicant)
  @ApiOperation({ summary: 'One application, masked; ?unmask=true&purpose=… shows names and numbers in clear (audited)' })
  @ApiOkResponse({ type: ApplicationView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() q: GetApplicationQuery): Promise<ApplicationView> {
    return this.queries.get(actor, id, q);
  }

  @Post(':id/checks')
  @Roles(...REVIEWERS)
  @HttpCode(200)
  @Audit({ action: 'applications.checks', objectType: 'applications' })
  @ApiOperation({ summary: 'Run the department data checks (all, or the ones listed) for every member (or the ones listed); 409 CONSENT_MISSING without a valid authorisation' })
  @ApiOkResponse({ type: ChecksView })
  runChecks(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RunChecksDto): Promise<ChecksView> {
    return this.checks.runAs(actor, id, body);
  }

  @Get(':id/checks')
  @Roles(...CASEWORK)
  @ApiOperation({ summary: 'Every department call made for the application, with its result' })
  @ApiOkResponse({ type: ChecksView })
  listChecks(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ChecksView> {
    return this.checks.listAs(actor, id);
  }
}
