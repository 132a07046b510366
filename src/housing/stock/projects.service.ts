import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { Clock, isUuid } from '../../common';
import { uniqueViolation, writableRegion } from '../housing-access';
import { buildingNumberTaken, projectCodeTaken, projectNotFound } from '../housing.errors';
import { ProjectsRepository } from './projects.repository';
import { BuildingDto, CreateBuildingDto, CreateProjectDto, ListProjectsQuery, Page, ProjectDto } from './stock.dto';
import { toBuildingDto, toProjectDto } from './stock.mappers';

/** Housing projects (项目) and their buildings (楼栋); every read and write inside the caller's region scope. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly projects: ProjectsRepository,
    private readonly audit: AuditContext,
  ) {}

  async list(actor: Actor, q: ListProjectsQuery): Promise<Page<ProjectDto>> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.projects.list(actor, q, limit, offset);
    return { items: rows.map(toProjectDto), total, limit, offset };
  }

  async get(actor: Actor, id: string): Promise<ProjectDto & { buildings: BuildingDto[] }> {
    const project = isUuid(id) ? await this.projects.find(actor, id) : null;
    if (!project) throw projectNotFound(id);
    return { ...toProjectDto(project), buildings: (await this.projects.buildings(id)).map(toBuildingDto) };
  }

  async create(actor: Actor, dto: CreateProjectDto): Promise<ProjectDto> {
    const id = await this.ds
      .transaction(async (em) => {
        await writableRegion(em, actor, dto.regionCode);
        const clean = (s: string | undefined) => (s?.trim() ? s.trim() : null);
        return this.projects.insert(
          { code: dto.code, name: dto.name.trim(), regionCode: dto.regionCode, address: clean(dto.address), operatorName: clean(dto.operatorName) },
          actor.id,
          this.clock.now(),
          em,
        );
      })
      .catch((e: unknown) => {
        throw uniqueViolation(e, 'housing_projects_code_key') ? projectCodeTaken(dto.code) : e;
      });
    this.audit.note({ objectType: 'housing_project', objectId: id });
    return toProjectDto((await this.projects.find(actor, id))!);
  }

  async addBuilding(actor: Actor, projectId: string, dto: CreateBuildingDto): Promise<BuildingDto> {
    const id = await this.ds
      .transaction(async (em) => {
        const project = isUuid(projectId) ? await this.projects.find(actor, projectId, em) : null;
        if (!project) throw projectNotFound(projectId);
        return this.projects.insertBuilding(projectId, dto.number.trim(), dto.floors ?? null, this.clock.now(), em);
      })
      .catch((e: unknown) => {
        throw uniqueViolation(e, 'housing_buildings_project_number_key') ? buildingNumberTaken(dto.number) : e;
      });
    this.audit.note({ objectType: 'housing_building', objectId: id });
    return toBuildingDto((await this.projects.findBuilding(actor, id))!);
  }
}
