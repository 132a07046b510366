import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../../api';
import { Audit } from '../../audit';
import { STOCK_READERS, TENANCY_KEEPERS } from '../housing-access';
import { CreateTenancyDto, EndTenancyDto, TenancyDto } from './tenancies.dto';
import { TenanciesService } from './tenancies.service';

/** Tenancies tie a household to a unit (人房对应); inside the caller's scope by the unit's region. */
@ApiTags('housing')
@Controller('api/housing/tenancies')
@Roles(...TENANCY_KEEPERS)
export class TenanciesController {
  constructor(private readonly tenancies: TenanciesService) {}

  @Get(':id')
  @Roles(...STOCK_READERS)
  @ApiOkResponse({ type: TenancyDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TenancyDto> {
    return this.tenancies.get(actor, id);
  }

  /** Begins a tenancy on a vacant or allocated unit; the unit becomes leased (a history row says why). */
  @Post()
  @Audit({ action: 'housing.tenancies.create', objectType: 'tenancy' })
  @ApiCreatedResponse({ type: TenancyDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateTenancyDto): Promise<TenancyDto> {
    return this.tenancies.create(actor, body);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Audit({ action: 'housing.tenancies.end', objectType: 'tenancy' })
  @ApiOkResponse({ type: TenancyDto })
  end(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: EndTenancyDto): Promise<TenancyDto> {
    return this.tenancies.end(actor, id, body);
  }
}
