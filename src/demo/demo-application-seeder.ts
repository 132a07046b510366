import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor, validationPipe } from '../api';
import { ApplicantActions, ApplicationQueries, ApplicationsService, REQUIRED_MATERIALS, SubmitApplicationDto, shanghaiDate } from '../applications';
import type { ApplicationStatus } from '../applications';
import { CalendarService } from '../calendar';
import { AdjustableClock, Clock } from '../common';
import { APP_CONFIG, AppConfig } from '../config';
import { CHECK_TYPES, SIMULATED_HOUSEHOLDS } from '../connectors';
import type { SimulatedHousehold } from '../connectors';
import { DefinitionsService, JobExecutor } from '../engine';
import { birthDateOf, groupsOf } from '../identity';
import { MailSender } from '../notify';
import { PublicNoticesService, PublicityService } from '../publicity';
import { TaskOperationsService, TasksService } from '../tasks';
import { DEMO_CASES, DEMO_STAGES, DEMO_STAGE_LABELS, DEMO_STAGE_STATUS, DemoCase, DemoStage, DemoStep } from './demo-cases';

/** Any constant unique to this use: two nodes booting at once on one PostgreSQL database seed once. */
const SEED_LOCK = 5_104_070_002;
/** How long one step may wait for the process to get where the plan expects (real time). */
const STEP_WAIT_MS = 30_000;
/** A documentation address (RFC 5737) as the demo objector's. */
const OBJECTOR_ADDRESS = '203.0.113.7';

export interface DemoSeedResult {
  applications: number;
  byStage: Record<DemoStage, number>;
  /** cases that did not end where the plan said (none when all went well) */
  off: { caseNumber: string; expected: ApplicationStatus; actual: ApplicationStatus }[];
  ms: number;
}

interface Filed {
  case: DemoCase;
  id: string;
  caseNumber: string;
}

/**
 * The demo applications (ANJU_DEMO_DATA): on the first boot of a database without any
 * application, files DEMO_CASES through the real services as the demo users (submission, task
 * claims and completions, an objection, a withdrawal), with the process's own jobs and mail run in
 * between, on a clock pinned to past working days and moved forward; then puts the clock back to
 * real time and runs what fell due. At bootstrap, after the engine has deployed processes/, and
 * before the HTTP server listens: nobody sees half a demo. Never on a database that holds an
 * application.
 */
@Injectable()
export class DemoApplicationSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');
  private readonly actors = new Map<string, Actor>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    private readonly applications: ApplicationsService,
    private readonly applicant: ApplicantActions,
    private readonly queries: ApplicationQueries,
    private readonly tasks: TasksService,
    private readonly taskOps: TaskOperationsService,
    private readonly publicity: PublicityService,
    private readonly notices: PublicNoticesService,
    private readonly definitions: DefinitionsService,
    private readonly jobs: JobExecutor,
    private readonly mail: MailSender,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    // a demo that went wrong is reported, and the server starts with what was filed (never twice)
    const result = await this.seed().catch((e: Error) => void this.logger.error(`the demo applications stopped half-way: ${e.message}`));
    if (!result) return;
    const stages = DEMO_STAGES.filter((s) => result.byStage[s]).map((s) => `${result.byStage[s]} ${DEMO_STAGE_LABELS[s]}`);
    this.logger.log(`seeded ${result.applications} demo applications (${stages.join(', ')}) in ${(result.ms / 1000).toFixed(1)} s`);
    for (const o of result.off) this.logger.warn(`demo application ${o.caseNumber} ended in ${o.actual}, not ${o.expected} as planned`);
  }

  /** Files the demo applications once; null when the database already holds one, or cannot (no demo users, no processes). */
  async seed(): Promise<DemoSeedResult | null> {
    if (!(this.clock instanceof AdjustableClock)) return this.skip('the clock cannot be moved');
    const clock = this.clock;
    return this.underLock(async () => {
      const [{ ready }] = (await this.ds.query(`SELECT to_regclass('applications') IS NOT NULL AND to_regclass('users') IS NOT NULL AS ready`)) as { ready: boolean }[];
      if (!ready) return this.skip('the tables are missing (migrations not applied)');
      const [{ any }] = (await this.ds.query(`SELECT EXISTS (SELECT 1 FROM applications) AS any`)) as { any: boolean }[];
      if (any) return null;
      if (!(await this.definitions.latest('housing_application').then(() => true, () => false))) return this.skip('processes/ is not deployed');
      const users = [...new Set(DEMO_CASES.flatMap((c) => [c.filer, ...c.steps.map((s) => ('as' in s ? s.as : c.filer))])), 'jj_county'];
      for (const u of users) {
        const actor = await this.actor(u);
        if (!actor) return this.skip(`the demo user ${u} does not exist (ANJU_DEMO_USERS)`);
        this.actors.set(u, actor);
      }
      const started = Date.now();
      let filed: Filed[];
      try {
        filed = await this.run(clock);
      } finally {
        clock.reset();
      }
      await this.settle();
      const off: DemoSeedResult['off'] = [];
      for (const f of filed) {
        const { status } = await this.queries.get(this.as('jj_county'), f.id);
        const expected = DEMO_STAGE_STATUS[f.case.stage];
        if (status !== expected) off.push({ caseNumber: f.caseNumber, expected, actual: status });
      }
      const byStage = Object.fromEntries(DEMO_STAGES.map((s) => [s, DEMO_CASES.filter((c) => c.stage === s).length])) as Record<DemoStage, number>;
      return { applications: filed.length, byStage, off, ms: Date.now() - started };
    });
  }

  /** Walks the plan in time order on a pinned clock; returns the cases filed. */
  private async run(clock: AdjustableClock): Promise<Filed[]> {
    const days = this.workingDaysBefore(shanghaiDate(new Date()), Math.max(...DEMO_CASES.flatMap((c) => c.steps.map((s) => s.day))));
    const instant = (s: DemoStep) => new Date(`${days[s.day - 1]}T${s.at}:00+08:00`);
    const steps = DEMO_CASES.flatMap((c, i) => c.steps.map((s, j) => ({ c, i, j, s, at: instant(s) }))).sort((a, b) => a.at.getTime() - b.at.getTime() || a.i - b.i || a.j - b.j);
    const filed = new Map<DemoCase, Filed>();
    for (const { c, s, at } of steps) {
      clock.set(at);
      await this.settle();
      if (s.do === 'submit') {
        const view = await this.applications.submit(this.as(c.filer), await this.body(c, at));
        filed.set(c, { case: c, id: view.id, caseNumber: view.caseNumber });
      } else {
        await this.perform(filed.get(c)!, s);
      }
      await this.settle();
    }
    // the end of the last working day: what fell due by then happens on the pinned clock
    clock.set(new Date(`${days[0]}T18:00:00+08:00`));
    await this.settle();
    return DEMO_CASES.map((c) => filed.get(c)!);
  }

  private async perform(f: Filed, s: Exclude<DemoStep, { do: 'submit' }>): Promise<void> {
    switch (s.do) {
      case 'claim':
      case 'complete': {
        const actor = this.as(s.as);
        const task = await this.until(`${f.caseNumber}: “${s.task}” in the queue of ${s.as}`, async () => {
          const page = await this.tasks.list(actor, { myGroups: true, businessKey: f.caseNumber, status: 'open', limit: 20 });
          return page.items.find((t) => t.name === s.task) ?? null;
        });
        await this.taskOps.claim(actor, task.id);
        if (s.do === 'complete') await this.taskOps.complete(actor, task.id, s.variables);
        return;
      }
      case 'object': {
        const notice = await this.until(`${f.caseNumber}: a running 公示`, async () => (await this.publicity.publicationsOf(f.id)).find((p) => p.status === 'running') ?? null);
        await this.notices.raise(notice.id, { content: s.content }, OBJECTOR_ADDRESS);
        return;
      }
      case 'withdraw':
        await this.applicant.withdrawAs(this.as(s.as), f.id, s.reason);
        return;
    }
  }

  /** The submission, as the HTTP edge would pass it on (validated and transformed by the same pipe). */
  private async body(c: DemoCase, at: Date): Promise<SubmitApplicationDto> {
    const h = SIMULATED_HOUSEHOLDS.find((x) => x.key === c.household);
    if (!h) throw new Error(`no simulated household ${c.household}`);
    const signedAt = new Date(at.getTime() - 3600_000).toISOString();
    const expiresAt = new Date(at.getTime() + 365 * 86400_000).toISOString();
    const today = shanghaiDate(at);
    const plain = {
      type: c.type,
      channel: c.channel,
      regionCode: c.regionCode,
      ...(c.targetRegionCode ? { targetRegionCode: c.targetRegionCode } : {}),
      household: { category: h.category, address: c.address, phone: c.phone, members: h.members.filter((_, i) => !c.members || c.members.includes(i)).map((m) => member(m, today, signedAt, expiresAt)) },
      materials: REQUIRED_MATERIALS[c.type]
        .filter((kind) => !(c.withoutMaterials ?? []).includes(kind))
        .map((kind) => ({ kind, reference: `doc:demo/${h.key}/${kind}`, sha256: createHash('sha256').update(`${h.key}:${kind}`).digest('hex'), fileName: `${kind}.pdf` })),
    };
    return (await validationPipe().transform(plain, { type: 'body', metatype: SubmitApplicationDto })) as SubmitApplicationDto;
  }

  /** Runs every due job (service tasks, timers, call ends) and delivers the mail they queued. */
  private async settle(): Promise<void> {
    for (let i = 0; i < 50; i++) if (!(await this.jobs.runDue())) break;
    await this.mail.runDue();
  }

  /**
   * What the next step needs, once the process has got there. The node's own job executor may be
   * running a job at the same moment (it polls on its own), so look again a little later.
   */
  private async until<T>(what: string, find: () => Promise<T | null>): Promise<T> {
    const deadline = Date.now() + STEP_WAIT_MS;
    for (;;) {
      await this.settle();
      const found = await find();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`demo seed: waited in vain for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The `n` working days before `today` on the reviewing region's calendar, the latest first. */
  private workingDaysBefore(today: string, n: number): string[] {
    const days: string[] = [];
    let t = Date.parse(`${today}T00:00:00Z`);
    while (days.length < n) {
      t -= 86400_000;
      const date = new Date(t).toISOString().slice(0, 10);
      if (this.calendar.day(date, '510104017').working) days.push(date);
    }
    return days;
  }

  /** A demo user as the access guard would see them after login. */
  private async actor(username: string): Promise<Actor | null> {
    const [u] = (await this.ds.query(
      `SELECT u.id, u.username, u.organization_id AS "organizationId", o.department,
              ARRAY(SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
              ARRAY(SELECT s.scope FROM user_scopes s WHERE s.user_id = u.id ORDER BY s.scope) AS scopes
         FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE u.username = $1 AND u.status = 'active'`,
      [username],
    )) as { id: string; username: string; organizationId: string | null; department: string | null; roles: string[]; scopes: string[] }[];
    if (!u) return null;
    return { id: u.id, username: u.username, roles: u.roles, organizationId: u.organizationId, regionScopes: u.scopes, groups: groupsOf(u.roles, u.scopes, u.department) };
  }

  private as(username: string): Actor {
    const actor = this.actors.get(username);
    if (!actor) throw new Error(`demo seed: no actor ${username}`);
    return actor;
  }

  /**
   * On PostgreSQL a session advisory lock on a connection of its own: a second node waits, then
   * finds the applications and seeds nothing. The embedded database has one process by construction.
   */
  private async underLock<T>(work: () => Promise<T>): Promise<T> {
    if (this.config.database.kind !== 'postgres' || this.config.database.poolSize < 2) return work();
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock($1)`, [SEED_LOCK]);
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [SEED_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private skip(why: string): null {
    this.logger.warn(`no demo applications seeded: ${why}`);
    return null;
  }
}

/** One member of a submission, declaring what the simulated departments hold (a minor signs nothing; a guardian authorises). */
function member(m: SimulatedHousehold['members'][number], today: string, signedAt: string, expiresAt: string) {
  const birth = birthDateOf(m.idNumber);
  const adult = Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(5) < birth.slice(5) ? 1 : 0) >= 18;
  const d = m.declared;
  return {
    relationship: m.relationship,
    name: m.name,
    idNumber: m.idNumber,
    hukouRegionCode: d.hukouRegionCode,
    monthlyIncome: d.monthlyIncome,
    assistanceStatus: d.assistanceStatus,
    ...(d.socialInsuranceMonths !== null ? { socialInsuranceMonths: d.socialInsuranceMonths } : {}),
    assets: { ownedHousingArea: d.ownedHousingArea, ownedDwellings: d.ownedDwellings, vehicles: d.vehicles, enterpriseHoldings: d.enterpriseHoldings },
    ...(adult ? { commitment: { signedAt, method: 'e_signature' } } : {}),
    authorisation: { checks: [...CHECK_TYPES], signedAt, expiresAt, method: adult ? 'e_signature' : 'handwritten_scan', signedBy: adult ? 'self' : 'guardian' },
  };
}
