import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../../api';
import { Clock } from '../../common';
import { APP_CONFIG, AppConfig, ConfigError } from '../../config';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { SessionsRepository } from '../auth/sessions.repository';
import { passwordProblems } from '../password-policy';
import { PersonalDataService } from '../personal-data/personal-data.service';
import { OrganizationsRepository } from '../users/organizations.repository';
import { UsersRepository } from '../users/users.repository';
import { DEMO_MAIL_DOMAIN, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS, DemoUser } from './demo-users';

export const BOOTSTRAP_ADMIN = 'admin';

/**
 * At boot: refuses to start without the secrets production needs; creates or resets `admin`
 * when ANJU_BOOTSTRAP_ADMIN_PASSWORD is set; seeds the demo users when ANJU_DEMO_USERS is on.
 */
@Injectable()
export class IdentitySeeder implements OnModuleInit {
  private readonly logger = new Logger('Identity');
  private demoHash: Promise<string> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly orgs: OrganizationsRepository,
    private readonly sessions: SessionsRepository,
    private readonly personal: PersonalDataService,
  ) {}

  async onModuleInit(): Promise<void> {
    const s = this.config.security;
    if (s.missingSecrets.length) {
      throw new ConfigError(s.missingSecrets[0], `a value: ${s.missingSecrets.join(', ')} must be set when DATABASE_URL is (see .env.example)`, undefined);
    }
    if (s.developmentSecrets.length) {
      this.logger.warn(`using the public development values of ${s.developmentSecrets.join(', ')}: fine for a demo, never for real data`);
    }
    if (s.bootstrapAdminPassword !== null) {
      const problems = passwordProblems(s.bootstrapAdminPassword, BOOTSTRAP_ADMIN);
      if (problems.length) throw new ConfigError('ANJU_BOOTSTRAP_ADMIN_PASSWORD', `a password that ${problems.join(', ')}`, '<hidden>');
    }
    if (!(await this.schemaReady())) {
      this.logger.warn('identity tables are missing (migrations not applied): no admin or demo users seeded');
      return;
    }
    if (s.bootstrapAdminPassword !== null) await this.bootstrapAdmin(s.bootstrapAdminPassword);
    if (s.demoUsers) await this.seedDemo();
  }

  /** Creates `admin` as the only system administrator role holder of that account, or resets its password and lock. */
  async bootstrapAdmin(password: string): Promise<void> {
    const now = this.clock.now();
    const existing = await this.users.findByUsername(BOOTSTRAP_ADMIN);
    if (!existing) {
      const hash = await hashPassword(password);
      await this.ds.transaction(async (em) => {
        const id = await this.users.create(blankUser(BOOTSTRAP_ADMIN, hash, now), em);
        await this.users.setRoles(id, [Role.SystemAdmin], em);
        await this.users.setScopes(id, ['510000'], em);
      });
      this.logger.log('created the system administrator "admin" from ANJU_BOOTSTRAP_ADMIN_PASSWORD');
      return;
    }
    const changed = !(await verifyPassword(existing.password_hash, password));
    await this.ds.transaction(async (em) => {
      if (changed) await this.users.setPassword(existing.id, await hashPassword(password), false, now, em);
      await em.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, status = 'active' WHERE id = $1`, [existing.id]);
      // admin is a system administrator and nothing else (三员分立)
      const others = existing.roles.filter((r) => r !== Role.SystemAdmin);
      if (others.length || !existing.roles.includes(Role.SystemAdmin)) await this.users.setRoles(existing.id, [Role.SystemAdmin], em);
    });
    if (changed) await this.sessions.revokeAllOf(existing.id, 'admin', now);
    this.logger.log(`"admin" ${changed ? 'password reset' : 'unchanged'} and unlocked (ANJU_BOOTSTRAP_ADMIN_PASSWORD)`);
  }

  async seedDemo(): Promise<void> {
    for (const u of DEMO_USERS) await this.ensureDemoUser(u.username);
  }

  /** Creates one demo user (and its organisation) unless it exists; tests use it to log in as anyone. */
  async ensureDemoUser(username: string): Promise<string> {
    const demo = DEMO_USERS.find((u) => u.username === username);
    if (!demo) throw new Error(`no demo user ${username}; the demo users are ${DEMO_USERS.map((u) => u.username).join(', ')}`);
    const existing = await this.users.findByUsername(username);
    if (existing) return existing.id;
    this.demoHash ??= hashPassword(DEMO_PASSWORD); // one hash for all: they share the documented password
    const hash = await this.demoHash;
    return this.ds.transaction(async (em) => {
      const orgId = demo.org ? await this.ensureOrganization(demo.org, em) : null;
      const org = DEMO_ORGANIZATIONS.find((o) => o.code === demo.org);
      const id = await this.users.create(this.demoRow(demo, hash, orgId), em);
      await this.users.setRoles(id, [demo.role], em);
      const scopes = demo.role === Role.Applicant ? [] : (demo.scopes ?? (org ? [org.regionCode] : []));
      await this.users.setScopes(id, scopes, em);
      return id;
    });
  }

  private demoRow(demo: DemoUser, hash: string, orgId: string | null) {
    const name = this.personal.protect('name', demo.name);
    const phone = demo.phone ? this.personal.protect('phone', demo.phone) : null;
    const idNumber = demo.idNumber ? this.personal.protect('idNumber', demo.idNumber) : null;
    return {
      ...blankUser(demo.username, hash, this.clock.now()),
      kind: demo.role === Role.Applicant ? ('applicant' as const) : ('staff' as const),
      organizationId: orgId,
      nameEnc: name.enc,
      phoneEnc: phone?.enc ?? null,
      phoneBidx: phone?.bidx ?? null,
      idNumberEnc: idNumber?.enc ?? null,
      idNumberBidx: idNumber?.bidx ?? null,
      email: `${demo.username}@${DEMO_MAIL_DOMAIN}`,
    };
  }

  private async ensureOrganization(code: string, em: EntityManager): Promise<string> {
    const found = await this.orgs.findByCode(code, em);
    if (found) return found.id;
    const o = DEMO_ORGANIZATIONS.find((x) => x.code === code)!;
    return (await this.orgs.create({ ...o, parentId: null }, this.clock.now(), em)).id;
  }

  private async schemaReady(): Promise<boolean> {
    const [row] = (await this.ds.query(`SELECT to_regclass('users') IS NOT NULL AND to_regclass('audit_log') IS NOT NULL AS ready`)) as { ready: boolean }[];
    return row.ready;
  }
}

function blankUser(username: string, passwordHash: string, now: Date) {
  return {
    username,
    kind: 'staff' as const,
    organizationId: null,
    passwordHash,
    mustChangePassword: false,
    nameEnc: null,
    phoneEnc: null,
    phoneBidx: null,
    idNumberEnc: null,
    idNumberBidx: null,
    now,
  };
}
