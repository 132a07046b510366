import { Controller, Get, Module, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, CurrentActor, Role, Roles } from '../../src/api';
import { NotFoundError } from '../../src/common';
import { regionScopeSql } from '../../src/identity';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A fictitious ID number: the 17 digits given, plus their GB 11643 check character. */
export function checkCharacterFor(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return first17 + '10X98765432'[sum % 11];
}

/**
 * A stand-in for a domain module's case records, to prove the region scope helper through HTTP:
 * the scope is part of the SQL, so an out-of-scope record is not found (404), never forbidden.
 */
export const SCOPED_RECORDS_TABLE = `
  CREATE TABLE test_scoped_records (
    id text PRIMARY KEY,
    region_code text NOT NULL,
    owner_id uuid
  )`;

@Controller('test-only/records')
@Roles(Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer, Role.DepartmentChecker, Role.AllocationOfficer, Role.Applicant)
class ScopedRecordsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Query('region') region?: string) {
    const params: unknown[] = [];
    const scope = regionScopeSql(actor, 'region_code', params, { ownerColumn: 'owner_id' });
    const filter = region ? ` AND region_code = $${params.push(region)}` : '';
    return this.ds.query(`SELECT id, region_code AS "regionCode" FROM test_scoped_records WHERE ${scope}${filter} ORDER BY id`, params);
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const params: unknown[] = [id];
    const scope = regionScopeSql(actor, 'region_code', params, { ownerColumn: 'owner_id' });
    const rows = await this.ds.query(`SELECT id, region_code AS "regionCode" FROM test_scoped_records WHERE id = $1 AND ${scope}`, params);
    if (!rows.length) throw new NotFoundError('RECORD_NOT_FOUND', `No record ${id}`);
    return rows[0];
  }
}

@Module({ controllers: [ScopedRecordsController] })
export class ScopedRecordsModule {}
