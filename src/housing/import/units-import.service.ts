import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { Clock } from '../../common';
import { uniqueViolation } from '../housing-access';
import { importEmpty, importFileMissing, importFileUnreadable, importTooLarge, stockChangedMeanwhile } from '../housing.errors';
import { ProjectRow, ProjectsRepository } from '../stock/projects.repository';
import { NewUnit, UnitsRepository } from '../stock/units.repository';
import { ImportProblem, importRejected, mapHeaders, problemAt } from './import-report';
import { UnreadableSheetError, readSheet } from './sheet-reader';
import { ColumnKey, columnDef } from './unit-columns';
import { ParsedUnitRow, RawUnitRow, validateUnitRow } from './unit-row';

export const MAX_IMPORT_ROWS = 5000;

export interface ImportResult {
  dryRun: boolean;
  rowsRead: number;
  /** units created, or that a dry run would create */
  units: number;
  /** buildings created for the units (project code and number), or that a dry run would create */
  buildingsCreated: { projectCode: string; number: string }[];
  /** headers that name no column of the template; their cells were not read */
  ignoredColumns: string[];
}

interface Row {
  rowNumber: number;
  unit: ParsedUnitRow;
}

interface BuildingFact {
  id: string;
  floors: number | null;
}

const roomKey = (projectId: string, building: string, entrance: string | null, roomNo: string) => [projectId, building, entrance ?? '', roomNo].join('\u0000');

/**
 * Imports units from an .xlsx or .csv: all or nothing. Every row is checked on its own, against
 * the other rows (duplicate asset or room numbers) and against the database (projects in the
 * caller's scope, regions, existing asset and room numbers, building heights); any problem and
 * the answer is a 422 listing each one by row and column, with nothing stored. A dry run checks
 * the same and stores nothing either way.
 */
@Injectable()
export class UnitsImportService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly units: UnitsRepository,
    private readonly projects: ProjectsRepository,
    private readonly audit: AuditContext,
  ) {}

  async import(actor: Actor, file: { originalname: string; buffer: Buffer } | undefined, dryRun: boolean): Promise<ImportResult> {
    if (!file?.buffer?.length) throw importFileMissing();
    this.audit.note({ objectType: 'housing_unit_import' });
    const sheet = await readSheet(file.buffer, file.originalname ?? '').catch((e: unknown) => {
      throw e instanceof UnreadableSheetError ? importFileUnreadable(e.message) : e;
    });
    if (sheet.rows.length > MAX_IMPORT_ROWS) throw importTooLarge(sheet.rows.length, MAX_IMPORT_ROWS);
    const headers = mapHeaders(sheet.headers);
    if (headers.problems.length) throw importRejected(headers.problems, sheet.rows.length);
    if (!sheet.rows.length) throw importEmpty();

    const problems: ImportProblem[] = [];
    const rows: Row[] = [];
    for (const { rowNumber, cells } of sheet.rows) {
      const raw: RawUnitRow = {};
      for (const [key, i] of headers.index) raw[key] = cells[i] ?? '';
      const checked = validateUnitRow(raw);
      for (const p of checked.problems) problems.push(problemAt(rowNumber, columnDef(p.field), headers.headerText, p));
      if (checked.unit) rows.push({ rowNumber, unit: checked.unit });
    }
    const at = (row: number, field: ColumnKey, value: string, zh: string, en: string) => problems.push(problemAt(row, columnDef(field), headers.headerText, { value, zh, en }));

    return this.ds
      .transaction(async (em) => {
        const projects = await this.projectsOf(actor, rows, em);
        const buildings = await this.buildingsOf([...projects.values()], em);
        await this.checkAgainstDatabase(rows, projects, buildings, em, at);
        checkWithinFile(rows, projects, at);
        if (problems.length) throw importRejected(problems, sheet.rows.length);
        const result = { dryRun, rowsRead: sheet.rows.length, units: rows.length, ignoredColumns: headers.ignored };
        const created = await this.ensureBuildings(rows, projects, buildings, dryRun, em);
        if (!dryRun) await this.store(actor, rows, projects, buildings, file.originalname, em);
        return { ...result, buildingsCreated: created };
      })
      .catch((e: unknown) => {
        throw uniqueViolation(e, 'housing_units_asset_no_key') || uniqueViolation(e, 'housing_units_room_key') ? stockChangedMeanwhile() : e;
      });
  }

  private async projectsOf(actor: Actor, rows: Row[], em: EntityManager): Promise<Map<string, ProjectRow>> {
    const codes = [...new Set(rows.map((r) => r.unit.projectCode))];
    return new Map((await this.projects.findByCodes(actor, codes, em)).map((p) => [p.code, p]));
  }

  /** Existing buildings by project id and number. */
  private async buildingsOf(projects: ProjectRow[], em: EntityManager): Promise<Map<string, BuildingFact>> {
    if (!projects.length) return new Map();
    const rows = (await em.query(`SELECT id, project_id, number, floors FROM housing_buildings WHERE project_id = ANY($1::uuid[])`, [projects.map((p) => p.id)])) as {
      id: string;
      project_id: string;
      number: string;
      floors: number | null;
    }[];
    return new Map(rows.map((b) => [`${b.project_id}\u0000${b.number}`, { id: b.id, floors: b.floors }]));
  }

  private async checkAgainstDatabase(
    rows: Row[],
    projects: Map<string, ProjectRow>,
    buildings: Map<string, BuildingFact>,
    em: EntityManager,
    at: (row: number, field: ColumnKey, value: string, zh: string, en: string) => void,
  ): Promise<void> {
    const regionCodes = [...new Set(rows.map((r) => r.unit.regionCode).filter((c): c is string => c !== null))];
    const regions = new Map(
      ((await em.query(`SELECT code, path FROM regions WHERE code = ANY($1::text[]) AND valid_to IS NULL`, [regionCodes])) as { code: string; path: string }[]).map((r) => [r.code, r.path]),
    );
    const assets = new Set(
      ((await em.query(`SELECT asset_no FROM housing_units WHERE asset_no = ANY($1::text[])`, [rows.map((r) => r.unit.assetNo)])) as { asset_no: string }[]).map((r) => r.asset_no),
    );
    const buildingIds = [...buildings.values()].map((b) => b.id);
    const rooms = new Set(
      (
        (await em.query(`SELECT b.project_id, b.number, u.entrance, u.room_no FROM housing_units u JOIN housing_buildings b ON b.id = u.building_id WHERE u.building_id = ANY($1::uuid[])`, [
          buildingIds,
        ])) as { project_id: string; number: string; entrance: string | null; room_no: string }[]
      ).map((r) => roomKey(r.project_id, r.number, r.entrance, r.room_no)),
    );
    for (const { rowNumber, unit: u } of rows) {
      const project = projects.get(u.projectCode);
      if (!project) {
        at(rowNumber, 'projectCode', u.projectCode, '没有这个项目，或项目不在您的数据范围内', 'no such project in your data scope');
        continue;
      }
      if (u.regionCode) {
        const path = regions.get(u.regionCode);
        if (!path) at(rowNumber, 'regionCode', u.regionCode, '不是现行的区划代码', 'is not a current region code');
        else if (!path.startsWith(project.region_path)) at(rowNumber, 'regionCode', u.regionCode, `不在项目所在区划 ${project.region_code} 之内`, `is not inside the project's region ${project.region_code}`);
      }
      const building = buildings.get(`${project.id}\u0000${u.building}`);
      if (building?.floors && u.floor > building.floors) at(rowNumber, 'floor', String(u.floor), `高于该楼栋的 ${building.floors} 层`, `is above the building's ${building.floors} floors`);
      if (assets.has(u.assetNo)) at(rowNumber, 'assetNo', u.assetNo, '资产编号已登记在其他房源上', 'the asset number is already registered');
      if (rooms.has(roomKey(project.id, u.building, u.entrance, u.roomNo))) at(rowNumber, 'roomNo', u.roomNo, '该楼栋（单元）已有这个房号', 'the building (entrance) already has this room number');
    }
  }

  /** Buildings the rows name that do not exist yet: created (unless a dry run) and listed. */
  private async ensureBuildings(rows: Row[], projects: Map<string, ProjectRow>, buildings: Map<string, BuildingFact>, dryRun: boolean, em: EntityManager) {
    const created: { projectCode: string; number: string }[] = [];
    for (const { unit: u } of rows) {
      const project = projects.get(u.projectCode)!;
      const key = `${project.id}\u0000${u.building}`;
      if (buildings.has(key)) continue;
      const id = dryRun ? '' : await this.projects.insertBuilding(project.id, u.building, null, this.clock.now(), em);
      buildings.set(key, { id, floors: null });
      created.push({ projectCode: project.code, number: u.building });
    }
    return created;
  }

  private async store(actor: Actor, rows: Row[], projects: Map<string, ProjectRow>, buildings: Map<string, BuildingFact>, fileName: string, em: EntityManager) {
    const now = this.clock.now();
    const units: NewUnit[] = rows.map(({ unit: u }) => {
      const project = projects.get(u.projectCode)!;
      const { projectCode: _p, building: _b, regionCode, ...rest } = u;
      return { ...rest, buildingId: buildings.get(`${project.id}\u0000${u.building}`)!.id, regionCode: regionCode ?? project.region_code };
    });
    const ids = await this.units.insert(units, actor.id, now, em);
    const reason = `导入 (imported from) ${fileName.slice(0, 200) || 'file'}`;
    await this.units.recordStatus(
      ids.map((unitId, i) => ({ unitId, from: null, to: units[i].status, reason, source: 'import' as const, by: actor.id, at: now })),
      em,
    );
  }
}

/** Asset numbers and rooms that appear twice in the file: each later row names the first. */
function checkWithinFile(rows: Row[], projects: Map<string, ProjectRow>, at: (row: number, field: ColumnKey, value: string, zh: string, en: string) => void): void {
  const assets = new Map<string, number>();
  const rooms = new Map<string, number>();
  for (const { rowNumber, unit: u } of rows) {
    const firstAsset = assets.get(u.assetNo);
    if (firstAsset) at(rowNumber, 'assetNo', u.assetNo, `与第 ${firstAsset} 行的资产编号重复`, `the same asset number as row ${firstAsset}`);
    else assets.set(u.assetNo, rowNumber);
    const project = projects.get(u.projectCode);
    if (!project) continue;
    const key = roomKey(project.id, u.building, u.entrance, u.roomNo);
    const firstRoom = rooms.get(key);
    if (firstRoom) at(rowNumber, 'roomNo', u.roomNo, `与第 ${firstRoom} 行是同一楼栋、单元和房号`, `the same building, entrance and room as row ${firstRoom}`);
    else rooms.set(key, rowNumber);
  }
}
