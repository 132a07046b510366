import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { Clock, isUuid } from '../../common';
import { uniqueViolation, writableRegion } from '../housing-access';
import {
  areaInvalid,
  assetNoTaken,
  buildingNotFound,
  floorAboveBuilding,
  regionOutsideProject,
  roomTaken,
  statusChangeRefused,
  unitNotFound,
} from '../housing.errors';
import { transitionProblem } from '../unit.state';
import { ProjectsRepository } from './projects.repository';
import { ChangeUnitStatusDto, CreateUnitDto, ListUnitsQuery, Page, UnitDetailDto, UnitDto } from './stock.dto';
import { toStatusChangeDto, toUnitDto } from './stock.mappers';
import { UnitsRepository } from './units.repository';

/** The first history row of a unit entered one by one. */
export const CREATED_REASON = '新建房源 (created)';

/** Housing units (房源): list, read, create one, change status with a reason (each change a history row). */
@Injectable()
export class UnitsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly units: UnitsRepository,
    private readonly projects: ProjectsRepository,
    private readonly audit: AuditContext,
  ) {}

  async list(actor: Actor, q: ListUnitsQuery): Promise<Page<UnitDto>> {
    const { limit = 50, offset = 0, ...filter } = q;
    const { rows, total } = await this.units.list(actor, filter, limit, offset);
    return { items: rows.map(toUnitDto), total, limit, offset };
  }

  async get(actor: Actor, id: string): Promise<UnitDetailDto> {
    const row = isUuid(id) ? await this.units.find(actor, id) : null;
    if (!row) throw unitNotFound(id);
    return { ...toUnitDto(row), history: (await this.units.history(id)).map(toStatusChangeDto) };
  }

  async create(actor: Actor, dto: CreateUnitDto): Promise<UnitDetailDto> {
    if (dto.usableArea > dto.buildingArea) throw areaInvalid();
    const id = await this.ds
      .transaction(async (em) => {
        const building = await this.projects.findBuilding(actor, dto.buildingId, em);
        if (!building) throw buildingNotFound(dto.buildingId);
        if (building.floors !== null && dto.floor > building.floors) throw floorAboveBuilding(dto.floor, building.floors);
        const regionCode = dto.regionCode ?? building.region_code;
        if (dto.regionCode) {
          const region = await writableRegion(em, actor, dto.regionCode);
          if (!region.path.startsWith(building.region_path)) throw regionOutsideProject(dto.regionCode, building.region_code);
        }
        const now = this.clock.now();
        const [unitId] = await this.units.insert(
          [
            {
              buildingId: building.id,
              regionCode,
              housingType: dto.housingType,
              entrance: dto.entrance?.trim() || null,
              floor: dto.floor,
              roomNo: dto.roomNo.trim(),
              layout: dto.layout,
              buildingArea: dto.buildingArea,
              usableArea: dto.usableArea,
              hasElevator: dto.hasElevator,
              accessible: dto.accessible ?? false,
              assetNo: dto.assetNo,
              status: 'vacant',
            },
          ],
          actor.id,
          now,
          em,
        );
        await this.units.recordStatus([{ unitId, from: null, to: 'vacant', reason: CREATED_REASON, source: 'api', by: actor.id, at: now }], em);
        return unitId;
      })
      .catch((e: unknown) => {
        if (uniqueViolation(e, 'housing_units_asset_no_key')) throw assetNoTaken(dto.assetNo);
        if (uniqueViolation(e, 'housing_units_room_key')) throw roomTaken();
        throw e;
      });
    this.audit.note({ objectType: 'housing_unit', objectId: id });
    return this.get(actor, id);
  }

  /** Moves a unit to another status, with the reason, in one transaction holding the unit's row lock. */
  async changeStatus(actor: Actor, id: string, dto: ChangeUnitStatusDto): Promise<UnitDetailDto> {
    this.audit.note({ objectType: 'housing_unit', objectId: id });
    await this.ds.transaction(async (em) => {
      const unit = isUuid(id) ? await this.units.find(actor, id, em, true) : null;
      if (!unit) throw unitNotFound(id);
      const problem = transitionProblem(unit.status, dto.status, unit.housing_type);
      if (problem) throw statusChangeRefused(unit.status, dto.status, problem);
      await this.units.changeStatus({ unitId: id, from: unit.status, to: dto.status, reason: dto.reason.trim(), source: 'api', by: actor.id, at: this.clock.now() }, em);
    });
    return this.get(actor, id);
  }
}
