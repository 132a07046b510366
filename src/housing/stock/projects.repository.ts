import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../api';
import { scopeSql, subtreeSql } from '../housing-access';
import { likePrefix } from './units.repository';

export interface ProjectRow {
  id: string;
  code: string;
  name: string;
  region_code: string;
  region_name: string | null;
  region_path: string;
  address: string | null;
  operator_name: string | null;
  building_count: number;
  unit_count: number;
  created_at: Date;
}

export interface BuildingRow {
  id: string;
  project_id: string;
  number: string;
  floors: number | null;
  unit_count: number;
}

export interface NewProject {
  code: string;
  name: string;
  regionCode: string;
  address: string | null;
  operatorName: string | null;
}

/** The project's region node: the current one, or the latest when its code has since been retired. */
const REGION_OF_PROJECT = `LEFT JOIN LATERAL (SELECT r.name, r.path FROM regions r WHERE r.code = p.region_code ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1) rg ON true`;

const SELECT = `
  SELECT p.id, p.code, p.name, p.region_code, rg.name AS region_name, rg.path AS region_path, p.address, p.operator_name, p.created_at,
         (SELECT count(*)::int FROM housing_buildings b WHERE b.project_id = p.id) AS building_count,
         (SELECT count(*)::int FROM housing_units u JOIN housing_buildings b ON b.id = u.building_id WHERE b.project_id = p.id) AS unit_count
    FROM housing_projects p
    ${REGION_OF_PROJECT}`;

const BUILDING = `
  SELECT b.id, b.project_id, b.number, b.floors, (SELECT count(*)::int FROM housing_units u WHERE u.building_id = b.id) AS unit_count
    FROM housing_buildings b`;

/** Projects and their buildings; a project is in scope when its region is. */
@Injectable()
export class ProjectsRepository {
  constructor(private readonly ds: DataSource) {}

  async list(actor: Actor, f: { region?: string; q?: string }, limit: number, offset: number): Promise<{ rows: ProjectRow[]; total: number }> {
    const params: unknown[] = [];
    const where = [scopeSql(actor, 'p.region_code', params)];
    if (f.region) where.push(subtreeSql(f.region, 'p.region_code', params));
    if (f.q) {
      params.push(`%${likePrefix(f.q.trim())}`);
      where.push(`(p.code ILIKE $${params.length} OR p.name ILIKE $${params.length})`);
    }
    const w = where.join(' AND ');
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM housing_projects p WHERE ${w}`, params)) as { total: number }[];
    const rows = (await this.ds.query(`${SELECT} WHERE ${w} ORDER BY p.code LIMIT ${limit} OFFSET ${offset}`, params)) as ProjectRow[];
    return { rows, total };
  }

  async find(actor: Actor, id: string, em?: EntityManager): Promise<ProjectRow | null> {
    const params: unknown[] = [id];
    const scope = scopeSql(actor, 'p.region_code', params);
    const [row] = (await (em ?? this.ds.manager).query(`${SELECT} WHERE p.id = $1 AND ${scope}`, params)) as ProjectRow[];
    return row ?? null;
  }

  /** Projects by code inside the caller's scope (the import names them by code). */
  async findByCodes(actor: Actor, codes: string[], em: EntityManager): Promise<ProjectRow[]> {
    const params: unknown[] = [codes];
    const scope = scopeSql(actor, 'p.region_code', params);
    return (await em.query(`${SELECT} WHERE p.code = ANY($1::text[]) AND ${scope}`, params)) as ProjectRow[];
  }

  async insert(p: NewProject, by: string, now: Date, em: EntityManager): Promise<string> {
    const [row] = (await em.query(
      `INSERT INTO housing_projects (code, name, region_code, address, operator_name, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [p.code, p.name, p.regionCode, p.address, p.operatorName, by, now],
    )) as { id: string }[];
    return row.id;
  }

  async buildings(projectId: string, em?: EntityManager): Promise<BuildingRow[]> {
    return (await (em ?? this.ds.manager).query(`${BUILDING} WHERE b.project_id = $1 ORDER BY b.number`, [projectId])) as BuildingRow[];
  }

  /** A building whose project is in the caller's scope, with the project's region. */
  async findBuilding(actor: Actor, id: string, em?: EntityManager): Promise<(BuildingRow & { region_code: string; region_path: string }) | null> {
    const params: unknown[] = [id];
    const scope = scopeSql(actor, 'p.region_code', params);
    const [row] = (await (em ?? this.ds.manager).query(
      `SELECT x.*, p.region_code, rg.path AS region_path FROM (${BUILDING}) x
         JOIN housing_projects p ON p.id = x.project_id
         ${REGION_OF_PROJECT}
        WHERE x.id = $1 AND ${scope}`,
      params,
    )) as (BuildingRow & { region_code: string; region_path: string })[];
    return row ?? null;
  }

  async insertBuilding(projectId: string, number: string, floors: number | null, now: Date, em: EntityManager): Promise<string> {
    const [row] = (await em.query(`INSERT INTO housing_buildings (project_id, number, floors, created_at) VALUES ($1, $2, $3, $4) RETURNING id`, [
      projectId,
      number,
      floors,
      now,
    ])) as { id: string }[];
    return row.id;
  }
}
