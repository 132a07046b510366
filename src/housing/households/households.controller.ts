import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor, Roles } from '../../api';
import { Audit } from '../../audit';
import { Clock } from '../../common';
import { localDate } from '../dates';
import { BENEFICIARY_KEEPERS, BENEFICIARY_READERS } from '../housing-access';
import { XLSX_TYPE } from '../import/workbooks';
import { attachment } from '../stock/units.controller';
import { ChangeGuaranteeDto, CreateHouseholdDto, ExportHouseholdsQuery, HouseholdDetailDto, ListHouseholdsQuery, RevealMembersDto, SearchHouseholdsDto } from './households.dto';
import { HouseholdsExportService } from './households-export.service';
import { HouseholdsService } from './households.service';

/** The beneficiary list (保障对象清单). Members' personal data comes masked; /reveal and an unmasked export are audited. */
@ApiTags('housing')
@Controller('api/housing/households')
@Roles(...BENEFICIARY_READERS)
export class HouseholdsController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly exporter: HouseholdsExportService,
    private readonly clock: Clock,
  ) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: ListHouseholdsQuery) {
    return this.households.list(actor, q);
  }

  /** Exact search by a member's ID number or phone (in the body: never in a URL or a log). */
  @Post('search')
  @HttpCode(200)
  @Audit({ action: 'housing.households.search', objectType: 'household' })
  search(@CurrentActor() actor: Actor, @Body() body: SearchHouseholdsDto) {
    return this.households.search(actor, body);
  }

  /** Households matching the list's filters as XLSX (households and members), masked unless `unmask=true` with a purpose. */
  @Get('export')
  @Audit({ action: 'housing.households.export', objectType: 'household' })
  @ApiProduces(XLSX_TYPE)
  async export(@CurrentActor() actor: Actor, @Query() q: ExportHouseholdsQuery, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.exporter.export(actor, q);
    const day = localDate(this.clock.now()).replace(/-/g, '');
    attachment(res, `households-${day}.xlsx`, `保障对象清单-${day}.xlsx`);
    return new StreamableFile(file);
  }

  @Get(':id')
  @ApiOkResponse({ type: HouseholdDetailDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<HouseholdDetailDto> {
    return this.households.get(actor, id);
  }

  @Post()
  @Roles(...BENEFICIARY_KEEPERS)
  @Audit({ action: 'housing.households.create', objectType: 'household' })
  @ApiCreatedResponse({ type: HouseholdDetailDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateHouseholdDto): Promise<HouseholdDetailDto> {
    return this.households.create(actor, body);
  }

  /** The members' clear values for the named fields, with a purpose; every member's disclosure is audited first. */
  @Post(':id/reveal')
  @HttpCode(200)
  reveal(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RevealMembersDto) {
    return this.households.reveal(actor, id, body);
  }

  @Put(':id/guarantee')
  @Roles(...BENEFICIARY_KEEPERS)
  @Audit({ action: 'housing.households.guarantee', objectType: 'household' })
  @ApiOkResponse({ type: HouseholdDetailDto })
  changeGuarantee(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ChangeGuaranteeDto): Promise<HouseholdDetailDto> {
    return this.households.changeGuarantee(actor, id, body);
  }
}
