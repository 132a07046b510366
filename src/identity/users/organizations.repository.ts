import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface OrganizationRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  department: string | null;
  region_code: string;
  parent_id: string | null;
}

export interface NewOrganization {
  code: string;
  name: string;
  kind: string;
  department: string | null;
  regionCode: string;
  parentId: string | null;
}

const COLUMNS = 'id, code, name, kind, department, region_code, parent_id';

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly ds: DataSource) {}

  async findById(id: string): Promise<OrganizationRow | null> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM organizations WHERE id = $1`, [id])) as OrganizationRow[];
    return rows[0] ?? null;
  }

  async findByCode(code: string, em?: EntityManager): Promise<OrganizationRow | null> {
    const rows = (await (em ?? this.ds).query(`SELECT ${COLUMNS} FROM organizations WHERE code = $1`, [code])) as OrganizationRow[];
    return rows[0] ?? null;
  }

  async list(regionCode?: string): Promise<OrganizationRow[]> {
    if (!regionCode) return (await this.ds.query(`SELECT ${COLUMNS} FROM organizations ORDER BY region_code, code`)) as OrganizationRow[];
    return (await this.ds.query(`SELECT ${COLUMNS} FROM organizations WHERE region_code = $1 ORDER BY code`, [regionCode])) as OrganizationRow[];
  }

  async create(o: NewOrganization, now: Date, em?: EntityManager): Promise<OrganizationRow> {
    const [row] = (await (em ?? this.ds).query(
      `INSERT INTO organizations (code, name, kind, department, region_code, parent_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [o.code, o.name, o.kind, o.department, o.regionCode, o.parentId, now],
    )) as OrganizationRow[];
    return row;
  }

  /** Current region codes among `codes`, and group codes (CDMZ) among them. */
  async knownScopes(codes: readonly string[]): Promise<Set<string>> {
    const rows = (await this.ds.query(
      `SELECT code FROM regions WHERE code = ANY($1::text[]) AND valid_to IS NULL UNION SELECT code FROM region_groups WHERE code = ANY($1::text[])`,
      [codes],
    )) as { code: string }[];
    return new Set(rows.map((r) => r.code));
  }
}
