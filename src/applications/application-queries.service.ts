import { Injectable } from '@nestjs/common';
import { Actor } from '../api';
import { isUuid } from '../common';
import { ApplicationPage, ApplicationView, ListApplicationsQuery } from './application.dto';
import { ApplicationViews } from './application-views';
import { applicationNotFound } from './applications.errors';
import { ApplicationRow, ApplicationsRepository } from './applications.repository';

/**
 * Reading applications within the caller's reach: staff see the applications of their region
 * scope (a remote application also in the target region's), applicants only their own. Anything
 * else is 404, never 403, so an id reveals nothing.
 */
@Injectable()
export class ApplicationQueries {
  constructor(
    private readonly repo: ApplicationsRepository,
    private readonly views: ApplicationViews,
  ) {}

  async list(actor: Actor, q: ListApplicationsQuery): Promise<ApplicationPage> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.list(actor, { ...q, limit, offset });
    return { items: rows.map((r) => this.views.summary(r, r.applicant_name_enc)), total, limit, offset };
  }

  async get(actor: Actor, id: string, options: { unmask?: boolean; purpose?: string } = {}): Promise<ApplicationView> {
    const app = await this.visible(actor, id);
    return this.views.view(undefined, app, options.unmask ? { actor, purpose: options.purpose } : undefined);
  }

  /** The application if the actor may see it; 404 otherwise. */
  async visible(actor: Actor, id: string): Promise<ApplicationRow> {
    const app = isUuid(id) ? await this.repo.findVisible(actor, id) : null;
    if (!app) throw applicationNotFound(id);
    return app;
  }
}
