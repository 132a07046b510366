import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RegionDto } from './region.dto';

interface RegionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  path: string;
  official: boolean;
  valid_from: string | Date;
  valid_to: string | Date | null;
  successor_code: string | null;
  groups: string[] | null;
}

const SELECT = `
  SELECT r.code, r.name, r.level, r.parent_code, r.path, r.official,
         to_char(r.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(r.valid_to, 'YYYY-MM-DD') AS valid_to,
         r.successor_code,
         ARRAY(SELECT m.group_code FROM region_group_members m WHERE m.region_code = r.code ORDER BY 1) AS groups
    FROM regions r`;

@Injectable()
export class RegionsRepository {
  constructor(private readonly ds: DataSource) {}

  async children(parent: string, includeHistory: boolean): Promise<RegionDto[]> {
    const rows: RegionRow[] = await this.ds.query(
      `${SELECT} WHERE r.parent_code = $1 AND ($2 OR r.valid_to IS NULL) ORDER BY r.official DESC, r.code, r.valid_from`,
      [parent, includeHistory],
    );
    return rows.map(toDto);
  }

  async groupMembers(group: string): Promise<RegionDto[] | null> {
    const found: unknown[] = await this.ds.query(`SELECT 1 FROM region_groups WHERE code = $1`, [group]);
    if (!found.length) return null;
    const rows: RegionRow[] = await this.ds.query(
      `${SELECT} JOIN region_group_members g ON g.region_code = r.code AND g.group_code = $1 WHERE r.valid_to IS NULL ORDER BY r.code`,
      [group],
    );
    return rows.map(toDto);
  }

  /** The current node of a code, or its latest historical node when the code is no longer valid. */
  async findWithPath(code: string): Promise<{ region: RegionDto; path: string[] } | null> {
    const rows: RegionRow[] = await this.ds.query(`${SELECT} WHERE r.code = $1 ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1`, [code]);
    if (!rows.length) return null;
    return { region: toDto(rows[0]), path: rows[0].path.split('/').filter(Boolean) };
  }

  /** Every code with its path (province first, itself last); a current node wins over a historical one. */
  async allPaths(): Promise<Map<string, string[]>> {
    const rows: { code: string; path: string }[] = await this.ds.query(`SELECT code, path FROM regions ORDER BY (valid_to IS NULL), valid_to`);
    // current rows come last, so they overwrite historical rows of the same code
    return new Map(rows.map((r) => [r.code, r.path.split('/').filter(Boolean)]));
  }

  async currentByCodes(codes: string[]): Promise<RegionDto[]> {
    if (!codes.length) return [];
    const rows: RegionRow[] = await this.ds.query(`${SELECT} WHERE r.code = ANY($1) AND r.valid_to IS NULL`, [codes]);
    const byCode = new Map(rows.map((r) => [r.code, toDto(r)]));
    return codes.map((c) => byCode.get(c)).filter((r): r is RegionDto => !!r);
  }
}

function toDto(r: RegionRow): RegionDto {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    official: r.official,
    validFrom: String(r.valid_from),
    validTo: r.valid_to === null ? null : String(r.valid_to),
    successorCode: r.successor_code,
    groups: r.groups ?? [],
  };
}
