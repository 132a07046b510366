import { Body, Controller, Get, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../api';
import { Audit } from '../audit';
import { ObjectionReceipt, PublicNoticePage, PublicNoticeView, PublicNoticesQuery, RaiseObjectionDto } from './publicity.dto';
import { PublicNoticesService } from './public-notices.service';

/** 公示 for the public: no login. Only masked content, only while a notice runs. */
@ApiTags('public notices')
@Controller('api/public/notices')
@Public()
export class PublicNoticesController {
  constructor(private readonly notices: PublicNoticesService) {}

  @Get()
  @ApiOperation({ summary: 'The 公示 running now in a region and every region under it, ending soonest first' })
  @ApiOkResponse({ type: PublicNoticePage })
  list(@Query() q: PublicNoticesQuery): Promise<PublicNoticePage> {
    return this.notices.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One running 公示; 404 before it starts and once it has ended or been withdrawn' })
  @ApiOkResponse({ type: PublicNoticeView })
  get(@Param('id') id: string): Promise<PublicNoticeView> {
    return this.notices.get(id);
  }

  @Post(':id/objections')
  @HttpCode(201)
  @Audit({ action: 'publicity.objection.raise', objectType: 'publicity' })
  @ApiOperation({ summary: 'Raise an objection (异议) while the notice runs; 409 otherwise; 429 after 5 an hour from one address to one notice' })
  @ApiCreatedResponse({ type: ObjectionReceipt })
  object(@Param('id') id: string, @Body() body: RaiseObjectionDto, @Ip() ip: string): Promise<ObjectionReceipt> {
    return this.notices.raise(id, body, ip ?? 'unknown');
  }
}
