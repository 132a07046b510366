import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, Role } from '../../api';
import { AuditContext } from '../../audit';
import { BadInputError, Clock } from '../../common';
import { AuthService, actorOf } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';
import { SessionsRepository } from '../auth/sessions.repository';
import {
  adminRolesSeparate,
  idNumberTaken,
  organizationNotFound,
  passwordPolicy,
  roleNotForKind,
  scopeUnknown,
  selfGrant,
  userNotFound,
  usernameTaken,
} from '../identity.errors';
import { passwordProblems } from '../password-policy';
import { PersonalDataService } from '../personal-data/personal-data.service';
import { Permission, assertCan, assertRolesCompatible, isRole, permissionToGrant } from '../roles';
import { CreateUserDto, ListUsersQuery, RevealedDto, SearchUsersDto, UserDto } from './users.dto';
import { OrganizationsRepository } from './organizations.repository';
import { UserRow, UsersRepository } from './users.repository';

/** Accounts: every method starts with the permission check, then works on the account. */
@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly orgs: OrganizationsRepository,
    private readonly sessions: SessionsRepository,
    private readonly auth: AuthService,
    private readonly personal: PersonalDataService,
    private readonly audit: AuditContext,
  ) {}

  async list(actor: Actor, q: ListUsersQuery): Promise<UserDto[]> {
    assertCan(actor, Permission.UsersRead);
    const rows = await this.users.list({ ...q, usernamePrefix: q.username, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return rows.map((r) => this.toDto(r));
  }

  async get(actor: Actor, id: string): Promise<UserDto> {
    assertCan(actor, Permission.UsersRead);
    return this.toDto(await this.find(id));
  }

  /** Exact search by ID number or phone, through the blind index: the clear value is never stored or compared. */
  async search(actor: Actor, q: SearchUsersDto): Promise<UserDto[]> {
    assertCan(actor, Permission.UsersRead);
    this.audit.note({ fields: Object.keys(q).filter((k) => q[k as keyof SearchUsersDto] !== undefined) });
    if (q.idNumber) {
      const bidx = this.personal.blindIndex('idNumber', this.personal.checkIdNumber(q.idNumber));
      return (await this.users.findByBlindIndex('id_number_bidx', bidx)).map((r) => this.toDto(r));
    }
    if (q.phone) {
      const bidx = this.personal.blindIndex('phone', this.personal.checkPhone(q.phone));
      return (await this.users.findByBlindIndex('phone_bidx', bidx)).map((r) => this.toDto(r));
    }
    throw new BadInputError('VALIDATION_FAILED', 'Give idNumber or phone', { fields: [{ field: 'idNumber', problems: ['give idNumber or phone'] }] });
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    assertCan(actor, Permission.UsersManage);
    const kind = dto.kind ?? 'staff';
    const problems = passwordProblems(dto.password, dto.username);
    if (problems.length) throw passwordPolicy('password', problems);
    const org = dto.organizationId ? await this.orgs.findById(dto.organizationId) : null;
    if (dto.organizationId && !org) throw organizationNotFound(dto.organizationId);
    const idNumber = dto.idNumber ? this.personal.checkIdNumber(dto.idNumber) : null;
    const phone = dto.phone ? this.personal.checkPhone(dto.phone) : null;
    if (kind === 'applicant' && !idNumber) {
      throw new BadInputError('VALIDATION_FAILED', 'An applicant account needs an idNumber', { fields: [{ field: 'idNumber', problems: ['is required for an applicant'] }] });
    }
    if (await this.users.findByUsername(dto.username)) throw usernameTaken(dto.username);
    const name = dto.name ? this.personal.protect('name', dto.name.trim()) : null;
    const ph = phone ? this.personal.protect('phone', phone) : null;
    const id = idNumber ? this.personal.protect('idNumber', idNumber) : null;
    const passwordHash = await hashPassword(dto.password);
    const now = this.clock.now();
    const userId = await this.ds.transaction(async (em) => {
      const created = await this.users.create(
        {
          username: dto.username,
          kind,
          organizationId: org?.id ?? null,
          passwordHash,
          mustChangePassword: true,
          nameEnc: name?.enc ?? null,
          phoneEnc: ph?.enc ?? null,
          phoneBidx: ph?.bidx ?? null,
          idNumberEnc: id?.enc ?? null,
          idNumberBidx: id?.bidx ?? null,
          email: dto.email?.trim().toLowerCase() ?? null,
          locale: dto.locale ?? 'zh-CN',
          now,
        },
        em,
      );
      // an applicant is an applicant; staff start with their organisation's region as data scope
      if (kind === 'applicant') await this.users.setRoles(created, [Role.Applicant], em);
      else if (org) await this.users.setScopes(created, [org.region_code], em);
      return created;
    }).catch((e: unknown) => {
      throw uniqueViolation(e, 'users_id_number_bidx_key') ? idNumberTaken() : uniqueViolation(e, 'users_username_key') ? usernameTaken(dto.username) : e;
    });
    this.audit.note({ objectId: userId });
    return this.toDto(await this.find(userId));
  }

  /**
   * Replaces an account's roles. Adding or removing an administrator role needs the system
   * administrator's grant permission, any other role the security administrator's; nobody changes
   * their own roles; the result must respect 三员分立.
   */
  async setRoles(actor: Actor, id: string, roles: string[]): Promise<UserDto> {
    if (id === actor.id) throw selfGrant();
    const user = await this.find(id);
    const next = [...new Set(roles)].filter(isRole);
    const changed = [...next.filter((r) => !user.roles.includes(r)), ...user.roles.filter(isRole).filter((r) => !next.includes(r))];
    if (!changed.length) assertCan(actor, Permission.UsersRead);
    for (const role of changed) assertCan(actor, permissionToGrant(role));
    for (const role of next) {
      if ((role === Role.Applicant) !== (user.kind === 'applicant')) throw roleNotForKind(role, user.kind);
    }
    assertRolesCompatible(next);
    await this.ds
      .transaction(async (em) => {
        await this.users.setRoles(id, next, em);
        await this.users.touch(id, this.clock.now(), em);
      })
      .catch((e: unknown) => {
        throw uniqueViolation(e, 'user_roles_one_admin_role_key') ? adminRolesSeparate(next) : e;
      });
    return this.toDto(await this.find(id));
  }

  async setScopes(actor: Actor, id: string, scopes: string[]): Promise<UserDto> {
    if (id === actor.id) throw selfGrant();
    assertCan(actor, Permission.UsersGrantRoles);
    const user = await this.find(id);
    if (user.kind === 'applicant' && scopes.length) throw roleNotForKind('a data scope', 'applicant');
    const known = await this.orgs.knownScopes(scopes);
    const unknown = scopes.filter((s) => !known.has(s));
    if (unknown.length) throw scopeUnknown(unknown);
    await this.ds.transaction(async (em) => {
      await this.users.setScopes(id, scopes, em);
      await this.users.touch(id, this.clock.now(), em);
    });
    return this.toDto(await this.find(id));
  }

  async unlock(actor: Actor, id: string): Promise<UserDto> {
    assertCan(actor, Permission.UsersUnlock);
    await this.find(id);
    await this.users.unlock(id, this.clock.now());
    return this.toDto(await this.find(id));
  }

  async setStatus(actor: Actor, id: string, status: 'active' | 'disabled'): Promise<UserDto> {
    assertCan(actor, Permission.UsersManage);
    if (id === actor.id) throw selfGrant();
    await this.find(id);
    const now = this.clock.now();
    await this.users.setStatus(id, status, now);
    if (status === 'disabled') await this.sessions.revokeAllOf(id, 'disabled', now);
    return this.toDto(await this.find(id));
  }

  /** An administrator's reset: the user must change it at the next login; their sessions end. */
  async resetPassword(actor: Actor, id: string, password: string): Promise<void> {
    assertCan(actor, Permission.UsersManage);
    const user = await this.find(id);
    await this.auth.setPassword(user, password, 'password', true);
    await this.sessions.revokeAllOf(id, 'admin', this.clock.now());
  }

  async reveal(actor: Actor, id: string, fields: ('name' | 'phone' | 'idNumber')[], purpose: string): Promise<RevealedDto> {
    assertCan(actor, Permission.UsersReveal);
    const user = await this.find(id);
    const stored = { name: user.name_enc, phone: user.phone_enc, idNumber: user.id_number_enc };
    const values = Object.fromEntries(fields.map((f) => [f, stored[f]]));
    return this.personal.reveal(actor, { permission: Permission.UsersReveal, objectType: 'users', objectId: id, purpose, values });
  }

  private async find(id: string): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw userNotFound(id);
    return user;
  }

  toDto(u: UserRow): UserDto {
    const now = this.clock.now();
    return {
      id: u.id,
      username: u.username,
      kind: u.kind,
      status: u.status,
      organizationId: u.organization_id,
      organizationName: u.org_name,
      department: u.department,
      roles: u.roles,
      scopes: u.scopes,
      groups: actorOf(u).groups,
      name: this.personal.masked('name', u.name_enc),
      phone: this.personal.masked('phone', u.phone_enc),
      idNumber: this.personal.masked('idNumber', u.id_number_enc),
      email: u.email,
      locale: u.locale,
      lockedUntil: u.locked_until && u.locked_until > now ? u.locked_until.toISOString() : null,
      mustChangePassword: u.must_change_password,
      lastLoginAt: u.last_login_at?.toISOString() ?? null,
      createdAt: u.created_at.toISOString(),
    };
  }
}

function uniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.driverError?.code ?? err.code;
  const name = err.driverError?.constraint ?? err.constraint;
  return code === '23505' && name === constraint;
}
