import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Actor, CurrentActor, Roles } from '../../api';
import { Audit } from '../../audit';
import { Clock } from '../../common';
import { localDate } from '../dates';
import { STOCK_KEEPERS, STOCK_READERS } from '../housing-access';
import { ImportResult, UnitsImportService } from '../import/units-import.service';
import { XLSX_TYPE, unitTemplate } from '../import/workbooks';
import { ChangeUnitStatusDto, CreateUnitDto, ListUnitsQuery, UnitDetailDto } from './stock.dto';
import { UnitsExportService } from './units-export.service';
import { UnitsService } from './units.service';

class ImportQuery {
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

/** Content-Disposition for a download with a Chinese name (RFC 6266 / 5987) and an ASCII fallback. */
export function attachment(res: Response, asciiName: string, name: string): void {
  res.set({ 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}` });
}

/** The housing-stock list (房源清单): units, their status history, import from XLSX/CSV and export to XLSX. */
@ApiTags('housing')
@Controller('api/housing/units')
@Roles(...STOCK_READERS)
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly importer: UnitsImportService,
    private readonly exporter: UnitsExportService,
    private readonly clock: Clock,
  ) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: ListUnitsQuery) {
    return this.units.list(actor, q);
  }

  /** The empty import workbook: Chinese headers, drop-down lists, a notes sheet in Chinese and English. */
  @Get('import-template')
  @ApiProduces(XLSX_TYPE)
  async template(@Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    attachment(res, 'housing-units-template.xlsx', '房源导入模板.xlsx');
    return new StreamableFile(await unitTemplate());
  }

  /** Units matching the list's filters, as XLSX in the import's columns. */
  @Get('export')
  @Audit({ action: 'housing.units.export', objectType: 'housing_unit' })
  @ApiProduces(XLSX_TYPE)
  async export(@CurrentActor() actor: Actor, @Query() q: ListUnitsQuery, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.exporter.export(actor, q);
    const day = localDate(this.clock.now()).replace(/-/g, '');
    attachment(res, `housing-units-${day}.xlsx`, `房源清单-${day}.xlsx`);
    return new StreamableFile(file);
  }

  /** All or nothing: 422 IMPORT_REJECTED lists every problem by row and column; `dryRun=true` only checks. */
  @Post('import')
  @Roles(...STOCK_KEEPERS)
  @HttpCode(200)
  @Audit({ action: 'housing.units.import', objectType: 'housing_unit' })
  @ApiConsumes('multipart/form-data')
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary', description: '.xlsx or .csv' } } } })
  // browsers send a file name in UTF-8 without saying so; busboy's default reads it as latin1
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024, files: 1 }, defParamCharset: 'utf8' }))
  import(@CurrentActor() actor: Actor, @UploadedFile() file: { originalname: string; buffer: Buffer } | undefined, @Query() q: ImportQuery): Promise<ImportResult> {
    return this.importer.import(actor, file, q.dryRun ?? false);
  }

  @Get(':id')
  @ApiOkResponse({ type: UnitDetailDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<UnitDetailDto> {
    return this.units.get(actor, id);
  }

  @Post()
  @Roles(...STOCK_KEEPERS)
  @Audit({ action: 'housing.units.create', objectType: 'housing_unit' })
  @ApiCreatedResponse({ type: UnitDetailDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUnitDto): Promise<UnitDetailDto> {
    return this.units.create(actor, body);
  }

  /** A new status with the reason; the change is kept in the unit's history. */
  @Post(':id/status')
  @Roles(...STOCK_KEEPERS)
  @HttpCode(200)
  @Audit({ action: 'housing.units.status', objectType: 'housing_unit' })
  @ApiOkResponse({ type: UnitDetailDto })
  changeStatus(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ChangeUnitStatusDto): Promise<UnitDetailDto> {
    return this.units.changeStatus(actor, id, body);
  }
}
