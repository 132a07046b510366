import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { CalendarModule } from '../calendar';
import { IdentityModule } from '../identity';
import { ObjectionsRepository } from './objections.repository';
import { ObjectionsService } from './objections.service';
import { PublicNoticesController } from './public-notices.controller';
import { PublicNoticesService } from './public-notices.service';
import { PublicityEvents } from './publicity-events';
import { PublicityRules } from './publicity-rules.service';
import { PublicityController } from './publicity.controller';
import { PublicityRepository } from './publicity.repository';
import { PublicityService } from './publicity.service';

/** 公示 as a first-class object: masked notices with a period from the region's rule, public reads, objections. */
@Module({
  imports: [IdentityModule, CalendarModule, AuditModule],
  controllers: [PublicNoticesController, PublicityController],
  providers: [PublicityRepository, ObjectionsRepository, PublicityService, ObjectionsService, PublicNoticesService, PublicityRules, PublicityEvents],
  exports: [PublicityService, ObjectionsService, PublicNoticesService, PublicityRules],
})
export class PublicityModule {}
