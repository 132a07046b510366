import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who use Anju and what they may see: organisations (a department of a region, an estate
 * operator, a street office, a community), users with roles and data scopes (region subtrees or a
 * region group such as CDMZ), and login sessions. Personal data (name, phone, ID number) is stored
 * only encrypted (`*_enc`: an envelope naming its cipher and key id) with a keyed hash
 * (`*_bidx`) where exact search is needed; never in plain text.
 */
export class CreateIdentity1764300000000 implements MigrationInterface {
  name = 'CreateIdentity1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code         text NOT NULL,
        name         text NOT NULL,
        kind         text NOT NULL,
        -- set for kind = 'department' only: 住建, 民政, 公安, ... (identity/departments.ts)
        department   text,
        region_code  text NOT NULL,
        parent_id    uuid REFERENCES organizations (id),
        created_at   timestamptz NOT NULL,
        CONSTRAINT organizations_code_key UNIQUE (code),
        CONSTRAINT organizations_kind_check CHECK (kind IN ('department', 'operator', 'street_office', 'community')),
        CONSTRAINT organizations_department_check CHECK ((kind = 'department') = (department IS NOT NULL)),
        CONSTRAINT organizations_department_name_check CHECK (department IN (
          '住建', '民政', '公安', '自然资源', '市场监管', '人社', '税务', '公积金', '残联', '退役军人', '法院', '财政', '发改'))
      )`);
    await q.query(`CREATE INDEX organizations_region_code_idx ON organizations (region_code)`);
    await q.query(`
      CREATE TABLE users (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username             text NOT NULL,
        kind                 text NOT NULL DEFAULT 'staff',
        organization_id      uuid REFERENCES organizations (id),
        status               text NOT NULL DEFAULT 'active',
        password_hash        text NOT NULL,
        password_changed_at  timestamptz NOT NULL,
        must_change_password boolean NOT NULL DEFAULT false,
        failed_logins        integer NOT NULL DEFAULT 0,
        locked_until         timestamptz,
        last_login_at        timestamptz,
        name_enc             text,
        phone_enc            text,
        phone_bidx           text,
        id_number_enc        text,
        id_number_bidx       text,
        created_at           timestamptz NOT NULL,
        updated_at           timestamptz NOT NULL,
        CONSTRAINT users_username_format_check CHECK (username ~ '^[a-z][a-z0-9_.-]{2,63}$'),
        CONSTRAINT users_kind_check CHECK (kind IN ('staff', 'applicant')),
        CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled')),
        CONSTRAINT users_failed_logins_check CHECK (failed_logins >= 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (username)`);
    // one account per person: the blind index of the ID number is unique where present
    await q.query(`CREATE UNIQUE INDEX users_id_number_bidx_key ON users (id_number_bidx) WHERE id_number_bidx IS NOT NULL`);
    await q.query(`CREATE INDEX users_phone_bidx_idx ON users (phone_bidx) WHERE phone_bidx IS NOT NULL`);
    await q.query(`CREATE INDEX users_organization_id_idx ON users (organization_id)`);
    await q.query(`
      CREATE TABLE user_roles (
        user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role     text NOT NULL,
        CONSTRAINT user_roles_pkey PRIMARY KEY (user_id, role),
        CONSTRAINT user_roles_role_check CHECK (role IN (
          'window_caseworker', 'street_reviewer', 'county_reviewer', 'city_reviewer', 'department_checker',
          'allocation_officer', 'policy_modeler', 'policy_approver', 'provincial_assessor',
          'system_admin', 'security_admin', 'audit_admin', 'applicant'))
      )`);
    // 三员分立: system, security and audit administrator are three different people
    await q.query(
      `CREATE UNIQUE INDEX user_roles_one_admin_role_key ON user_roles (user_id) WHERE role IN ('system_admin', 'security_admin', 'audit_admin')`,
    );
    await q.query(`
      CREATE TABLE user_scopes (
        user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        -- a region code (the root of a subtree) or a region group code such as CDMZ
        scope    text NOT NULL,
        CONSTRAINT user_scopes_pkey PRIMARY KEY (user_id, scope)
      )`);
    await q.query(`
      CREATE TABLE sessions (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        -- SM3 of the current refresh secret, and of the one it replaced (a reuse revokes the session)
        refresh_hash           text NOT NULL,
        previous_refresh_hash  text,
        created_at             timestamptz NOT NULL,
        last_seen_at           timestamptz NOT NULL,
        expires_at             timestamptz NOT NULL,
        revoked_at             timestamptz,
        revoke_reason          text,
        ip                     text,
        user_agent             text,
        CONSTRAINT sessions_revoke_reason_check CHECK (revoke_reason IN ('logout', 'idle', 'expired', 'refresh_reuse', 'password_changed', 'disabled', 'admin')),
        CONSTRAINT sessions_revoked_check CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE user_scopes`);
    await q.query(`DROP TABLE user_roles`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organizations`);
  }
}
