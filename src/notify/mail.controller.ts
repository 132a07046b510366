import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor, Role, Roles } from '../api';
import { ListMailboxQuery, ListOutboxQuery } from './mail.dto';
import { MailOutboxService } from './mail-outbox.service';
import { NotifyService } from './notify.service';

@ApiTags('mail')
@Controller('api/mail')
export class MailController {
  constructor(
    private readonly mail: MailOutboxService,
    private readonly notify: NotifyService,
  ) {}

  /** The development mailbox (mail is kept here when SMTP_URL is unset): your own mail, or everyone's for a system administrator. */
  @Get()
  @Authenticated()
  mailbox(@Query() q: ListMailboxQuery, @CurrentActor() actor: Actor) {
    return this.mail.mailbox(actor, q);
  }

  /** The templates a diagram or a module may send, with their variables. */
  @Get('templates')
  @Authenticated()
  templates() {
    return this.notify.templates.describe();
  }

  /** The outbox with its addresses: the system administrator's (failed mail is also an incident, address masked). */
  @Get('outbox')
  @Roles(Role.SystemAdmin)
  outbox(@Query() q: ListOutboxQuery) {
    return this.mail.list(q);
  }

  @Post('outbox/:id/retry')
  @HttpCode(200)
  @Roles(Role.SystemAdmin, Role.PolicyModeler)
  retry(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.mail.retry(id, actor.id);
  }
}
