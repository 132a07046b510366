import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity';
import { MailController } from './mail.controller';
import { MailOutboxService } from './mail-outbox.service';
import { MailSender } from './mail-sender';
import { NotifyService } from './notify.service';
import { OutboxRepository } from './outbox.repository';
import { ScheduleSlots } from './schedule-slots';
import { TemplateRenderer } from './template-renderer';

/** Mail: templates, the transactional outbox, the sender on every node, the development mailbox. */
@Module({
  imports: [IdentityModule],
  controllers: [MailController],
  providers: [{ provide: TemplateRenderer, useFactory: () => new TemplateRenderer() }, NotifyService, OutboxRepository, MailOutboxService, MailSender, ScheduleSlots],
  exports: [NotifyService, MailOutboxService, MailSender, ScheduleSlots, TemplateRenderer],
})
export class NotifyModule {}
