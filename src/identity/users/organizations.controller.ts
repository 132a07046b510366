import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor, Role, Roles } from '../../api';
import { Audit } from '../../audit';
import { OrganizationsService } from './organizations.service';
import { CreateOrganizationDto, ListOrganizationsQuery, OrganizationDto } from './users.dto';

@ApiTags('users')
@Controller('api/organizations')
export class OrganizationsController {
  constructor(private readonly orgs: OrganizationsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [OrganizationDto] })
  list(@Query() q: ListOrganizationsQuery): Promise<OrganizationDto[]> {
    return this.orgs.list(q.regionCode);
  }

  @Post()
  @Roles(Role.SystemAdmin)
  @Audit({ action: 'organizations.create' })
  @ApiCreatedResponse({ type: OrganizationDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.orgs.create(actor, body);
  }
}
