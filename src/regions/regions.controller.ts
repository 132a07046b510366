import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../api';
import { Matches } from 'class-validator';
import { ListRegionsQuery, REGION_CODE, RegionDetailDto, RegionDto } from './region.dto';
import { RegionsService } from './regions.service';

class RegionCodeParam {
  @Matches(REGION_CODE, { message: 'code must be a region code such as 510104 or 510104001' })
  code: string;
}

/**
 * The region tree is public reference data (GB/T 2260), but it is served to logged-in users only:
 * nobody needs it before logging in, and every endpoint that needs no login is one more to guard.
 */
@ApiTags('regions')
@Controller('api/regions')
@Authenticated()
export class RegionsController {
  constructor(private readonly service: RegionsService) {}

  @Get()
  @ApiOkResponse({ type: [RegionDto] })
  list(@Query() query: ListRegionsQuery): Promise<RegionDto[]> {
    return this.service.list(query);
  }

  @Get(':code')
  @ApiOkResponse({ type: RegionDetailDto })
  get(@Param() params: RegionCodeParam): Promise<RegionDetailDto> {
    return this.service.get(params.code);
  }
}
