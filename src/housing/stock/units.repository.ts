import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../api';
import { HousingType, Layout, UnitStatus } from '../housing-codes';
import { scopeSql, subtreeSql } from '../housing-access';
import { UnitFilter } from './stock.dto';

export interface UnitRow {
  id: string;
  building_id: string;
  building_number: string;
  building_floors: number | null;
  project_id: string;
  project_code: string;
  project_name: string;
  region_code: string;
  region_name: string | null;
  housing_type: HousingType;
  entrance: string | null;
  floor: number;
  room_no: string;
  layout: Layout;
  building_area: string;
  usable_area: string;
  has_elevator: boolean;
  accessible: boolean;
  asset_no: string;
  status: UnitStatus;
  status_since: Date;
  t_id: string | null;
  t_household_id: string | null;
  t_household_no: string | null;
  t_start: string | null;
  t_end: string | null;
}

export interface NewUnit {
  buildingId: string;
  regionCode: string;
  housingType: HousingType;
  entrance: string | null;
  floor: number;
  roomNo: string;
  layout: Layout;
  buildingArea: number;
  usableArea: number;
  hasElevator: boolean;
  accessible: boolean;
  assetNo: string;
  status: UnitStatus;
}

export interface StatusChange {
  unitId: string;
  from: UnitStatus | null;
  to: UnitStatus;
  reason: string;
  source: 'api' | 'import' | 'tenancy' | 'seed';
  by: string | null;
  at: Date;
}

export interface HistoryRow {
  from_status: UnitStatus | null;
  to_status: UnitStatus;
  reason: string;
  source: string;
  changed_by: string | null;
  changed_at: Date;
}

const FROM = `
  FROM housing_units u
  JOIN housing_buildings b ON b.id = u.building_id
  JOIN housing_projects p ON p.id = b.project_id`;

const SELECT = `
  SELECT u.id, u.building_id, b.number AS building_number, b.floors AS building_floors, b.project_id, p.code AS project_code, p.name AS project_name,
         u.region_code, rg.name AS region_name, u.housing_type, u.entrance, u.floor, u.room_no, u.layout, u.building_area, u.usable_area,
         u.has_elevator, u.accessible, u.asset_no, u.status, u.status_since,
         t.id AS t_id, t.household_id AS t_household_id, h.household_no AS t_household_no,
         to_char(t.start_date, 'YYYY-MM-DD') AS t_start, to_char(t.end_date, 'YYYY-MM-DD') AS t_end
  ${FROM}
  LEFT JOIN regions rg ON rg.code = u.region_code AND rg.valid_to IS NULL
  LEFT JOIN tenancies t ON t.unit_id = u.id AND t.ended_on IS NULL
  LEFT JOIN households h ON h.id = t.household_id`;

const ORDER = `ORDER BY p.code, b.number, coalesce(u.entrance, ''), u.floor, u.room_no, u.id`;

/** `LIKE` pattern of a literal prefix. */
export function likePrefix(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}

/** The WHERE clause of the unit list and export: the caller's scope and the filters. */
export function unitWhere(actor: Actor, f: UnitFilter, params: unknown[]): string {
  const where = [scopeSql(actor, 'u.region_code', params)];
  const eq = (column: string, value: unknown) => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (f.region) where.push(subtreeSql(f.region, 'u.region_code', params));
  if (f.projectId) eq('b.project_id', f.projectId);
  if (f.buildingId) eq('u.building_id', f.buildingId);
  if (f.type) eq('u.housing_type', f.type);
  if (f.status) eq('u.status', f.status);
  if (f.layout) eq('u.layout', f.layout);
  if (f.elevator !== undefined) eq('u.has_elevator', f.elevator);
  if (f.accessible !== undefined) eq('u.accessible', f.accessible);
  if (f.minArea !== undefined) {
    params.push(f.minArea);
    where.push(`u.building_area >= $${params.length}`);
  }
  if (f.maxArea !== undefined) {
    params.push(f.maxArea);
    where.push(`u.building_area <= $${params.length}`);
  }
  if (f.q) {
    params.push(likePrefix(f.q.trim()));
    where.push(`(u.asset_no ILIKE $${params.length} OR u.room_no ILIKE $${params.length})`);
  }
  return where.join(' AND ');
}

@Injectable()
export class UnitsRepository {
  constructor(private readonly ds: DataSource) {}

  async list(actor: Actor, f: UnitFilter, limit: number, offset: number): Promise<{ rows: UnitRow[]; total: number }> {
    const params: unknown[] = [];
    const where = unitWhere(actor, f, params);
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total ${FROM} WHERE ${where}`, params)) as { total: number }[];
    const rows = (await this.ds.query(`${SELECT} WHERE ${where} ${ORDER} LIMIT ${limit} OFFSET ${offset}`, params)) as UnitRow[];
    return { rows, total };
  }

  /** Every unit matching the filters, up to `max` + 1 (the caller refuses more than max). */
  async all(actor: Actor, f: UnitFilter, max: number): Promise<UnitRow[]> {
    const params: unknown[] = [];
    return (await this.ds.query(`${SELECT} WHERE ${unitWhere(actor, f, params)} ${ORDER} LIMIT ${max + 1}`, params)) as UnitRow[];
  }

  /** A unit inside the caller's scope, or null; `lock` takes its row lock for a status change. */
  async find(actor: Actor, id: string, em?: EntityManager, lock = false): Promise<UnitRow | null> {
    const params: unknown[] = [id];
    const scope = scopeSql(actor, 'u.region_code', params);
    const m = em ?? this.ds.manager;
    if (lock) await m.query(`SELECT 1 FROM housing_units u WHERE u.id = $1 AND ${scope} FOR UPDATE`, params);
    const [row] = (await m.query(`${SELECT} WHERE u.id = $1 AND ${scope}`, params)) as UnitRow[];
    return row ?? null;
  }

  /** Inserts units in one statement; their ids in the order given. */
  async insert(units: NewUnit[], by: string | null, now: Date, em: EntityManager): Promise<string[]> {
    if (!units.length) return [];
    const col = <K extends keyof NewUnit>(k: K) => units.map((u) => u[k]);
    const rows = (await em.query(
      `INSERT INTO housing_units (building_id, region_code, housing_type, entrance, floor, room_no, layout, building_area, usable_area,
                                  has_elevator, accessible, asset_no, status, status_since, created_by, created_at, updated_at)
       SELECT b, r, t, e, f, rn, l, ba, ua, he, ac, an, s, $14::timestamptz, $15::uuid, $14::timestamptz, $14::timestamptz
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::numeric[], $9::numeric[],
                     $10::boolean[], $11::boolean[], $12::text[], $13::text[])
           WITH ORDINALITY AS x(b, r, t, e, f, rn, l, ba, ua, he, ac, an, s, n)
        ORDER BY n
       RETURNING id, asset_no`,
      [
        col('buildingId'),
        col('regionCode'),
        col('housingType'),
        col('entrance'),
        col('floor'),
        col('roomNo'),
        col('layout'),
        col('buildingArea'),
        col('usableArea'),
        col('hasElevator'),
        col('accessible'),
        col('assetNo'),
        col('status'),
        now,
        by,
      ],
    )) as { id: string; asset_no: string }[];
    const ids = new Map(rows.map((r) => [r.asset_no, r.id]));
    return units.map((u) => ids.get(u.assetNo)!);
  }

  async recordStatus(changes: StatusChange[], em: EntityManager): Promise<void> {
    if (!changes.length) return;
    const col = <K extends keyof StatusChange>(k: K) => changes.map((c) => c[k]);
    await em.query(
      `INSERT INTO housing_unit_status_history (unit_id, from_status, to_status, reason, source, changed_by, changed_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[])`,
      [col('unitId'), col('from'), col('to'), col('reason'), col('source'), col('by'), col('at')],
    );
  }

  /** Sets the status and writes its history row, in the caller's transaction. */
  async changeStatus(change: StatusChange, em: EntityManager): Promise<void> {
    await em.query(`UPDATE housing_units SET status = $2, status_since = $3, updated_at = $3 WHERE id = $1`, [change.unitId, change.to, change.at]);
    await this.recordStatus([change], em);
  }

  async history(unitId: string): Promise<HistoryRow[]> {
    return (await this.ds.query(
      `SELECT from_status, to_status, reason, source, changed_by, changed_at FROM housing_unit_status_history WHERE unit_id = $1 ORDER BY changed_at, id`,
      [unitId],
    )) as HistoryRow[];
  }
}
