import { Injectable } from '@nestjs/common';
import { Actor } from '../../api';
import { exportTooLarge } from '../housing.errors';
import { unitsWorkbook } from '../import/workbooks';
import { ListUnitsQuery } from './stock.dto';
import { toUnitDto } from './stock.mappers';
import { UnitsRepository } from './units.repository';

/** Rows one export may hold; more is refused with the count, so the caller narrows the filters. */
export const MAX_EXPORT_ROWS = 20000;

@Injectable()
export class UnitsExportService {
  constructor(private readonly units: UnitsRepository) {}

  /** The units the list would show with these filters (paging ignored), as an .xlsx workbook. */
  async export(actor: Actor, q: ListUnitsQuery): Promise<Buffer> {
    const { limit: _limit, offset: _offset, ...filter } = q;
    const rows = await this.units.all(actor, filter, MAX_EXPORT_ROWS);
    if (rows.length > MAX_EXPORT_ROWS) throw exportTooLarge(MAX_EXPORT_ROWS);
    return unitsWorkbook(rows.map(toUnitDto));
  }
}
