import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../../api';
import { Audit } from '../../audit';
import { STOCK_KEEPERS, STOCK_READERS } from '../housing-access';
import { ProjectsService } from './projects.service';
import { BuildingDto, CreateBuildingDto, CreateProjectDto, ListProjectsQuery, ProjectDto } from './stock.dto';

/** Housing projects (项目) and their buildings (楼栋), inside the caller's region scope. */
@ApiTags('housing')
@Controller('api/housing/projects')
@Roles(...STOCK_READERS)
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: ListProjectsQuery) {
    return this.projects.list(actor, q);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.projects.get(actor, id);
  }

  @Post()
  @Roles(...STOCK_KEEPERS)
  @Audit({ action: 'housing.projects.create', objectType: 'housing_project' })
  @ApiCreatedResponse({ type: ProjectDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateProjectDto): Promise<ProjectDto> {
    return this.projects.create(actor, body);
  }

  @Post(':id/buildings')
  @Roles(...STOCK_KEEPERS)
  @Audit({ action: 'housing.buildings.create', objectType: 'housing_building' })
  @ApiOkResponse({ type: BuildingDto })
  addBuilding(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CreateBuildingDto): Promise<BuildingDto> {
    return this.projects.addBuilding(actor, id, body);
  }
}
