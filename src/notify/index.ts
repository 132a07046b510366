// notify's public surface: other modules import only from here.
export { NotifyModule } from './notify.module';
export { NotifyService, messageIdOf } from './notify.service';
export type { EnqueueRequest, EnqueueResult, MailRecipients } from './notify.service';
export { MailOutboxService } from './mail-outbox.service';
export type { MailIncident, MailboxMessage } from './mail-outbox.service';
export { MailSender } from './mail-sender';
export { ScheduleSlots } from './schedule-slots';
export { TemplateRenderer } from './template-renderer';
export { DEFAULT_LOCALE, LOCALES, TEMPLATES } from './templates';
export type { Locale, TemplateDefinition } from './templates';
export { NotifyErrorCode } from './notify.errors';
