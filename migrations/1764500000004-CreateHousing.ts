import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two lists (两张清单) of DOMAIN.md. The housing stock (房源清单): projects, their buildings and
 * the units in them, each unit with its type, layout, areas, floor, elevator, accessibility, asset
 * number and status, every status change kept in a history table. The beneficiaries (保障对象清单):
 * households with their members (name, ID number and phone only encrypted, with blind indexes for
 * exact search and a masked name for display and search), category, guarantee form and subsidy;
 * tenancies tie a household to a unit so that 人房对应 and 账实相符 can be checked.
 *
 * Region codes are checked against the current nodes of `regions` by a trigger (a foreign key
 * cannot point at the partial unique index of current codes).
 */
export class CreateHousing1764500000004 implements MigrationInterface {
  name = 'CreateHousing1764500000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION housing_region_code_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM regions WHERE code = NEW.region_code AND valid_to IS NULL) THEN
          RAISE EXCEPTION '% is not a current region code', NEW.region_code
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_region_code_fkey';
        END IF;
        RETURN NEW;
      END $$`);

    await q.query(`
      CREATE TABLE housing_projects (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- the operator's own short code, named by the unit import (项目编号)
        code          text NOT NULL,
        name          text NOT NULL,
        region_code   text NOT NULL,
        address       text,
        -- 运营单位: the estate operator
        operator_name text,
        created_by    uuid,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        CONSTRAINT housing_projects_code_key UNIQUE (code),
        CONSTRAINT housing_projects_code_format_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$'),
        CONSTRAINT housing_projects_name_check CHECK (length(btrim(name)) BETWEEN 2 AND 100)
      )`);
    // projects of a region subtree (list filter and data scope)
    await q.query(`CREATE INDEX housing_projects_region_code_idx ON housing_projects (region_code)`);

    await q.query(`
      CREATE TABLE housing_buildings (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id  uuid NOT NULL REFERENCES housing_projects (id) ON DELETE CASCADE,
        -- 楼栋号 as written on the building: '3', '3栋', 'A'
        number      text NOT NULL,
        -- floors above ground, when known
        floors      integer,
        created_at  timestamptz NOT NULL,
        CONSTRAINT housing_buildings_project_number_key UNIQUE (project_id, number),
        CONSTRAINT housing_buildings_number_check CHECK (length(btrim(number)) BETWEEN 1 AND 20),
        CONSTRAINT housing_buildings_floors_check CHECK (floors BETWEEN 1 AND 120)
      )`);

    await q.query(`
      CREATE TABLE housing_units (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        building_id    uuid NOT NULL REFERENCES housing_buildings (id) ON DELETE CASCADE,
        -- the project's region or a street inside it; the data scope is applied to this column
        region_code    text NOT NULL,
        -- prh_government 公租房(政府投资), prh_enterprise 公租房(企业自建), arh 保障性租赁住房, shared_ownership 共有产权住房
        housing_type   text NOT NULL,
        -- 单元号 (staircase), when the building has several
        entrance       text,
        floor          integer NOT NULL,
        room_no        text NOT NULL,
        -- studio 单间, one_bedroom 一室一厅, two_bedroom 两室一厅, three_bedroom 三室一厅, four_bedroom 四室及以上
        layout         text NOT NULL,
        building_area  numeric(7, 2) NOT NULL,
        usable_area    numeric(7, 2) NOT NULL,
        has_elevator   boolean NOT NULL,
        accessible     boolean NOT NULL DEFAULT false,
        asset_no       text NOT NULL,
        status         text NOT NULL DEFAULT 'vacant',
        status_since   timestamptz NOT NULL,
        created_by     uuid,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        CONSTRAINT housing_units_asset_no_key UNIQUE (asset_no),
        CONSTRAINT housing_units_asset_no_format_check CHECK (asset_no ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{1,39}$'),
        CONSTRAINT housing_units_housing_type_check CHECK (housing_type IN ('prh_government', 'prh_enterprise', 'arh', 'shared_ownership')),
        CONSTRAINT housing_units_layout_check CHECK (layout IN ('studio', 'one_bedroom', 'two_bedroom', 'three_bedroom', 'four_bedroom')),
        CONSTRAINT housing_units_floor_check CHECK (floor BETWEEN 1 AND 120),
        CONSTRAINT housing_units_room_no_check CHECK (length(btrim(room_no)) BETWEEN 1 AND 20),
        CONSTRAINT housing_units_entrance_check CHECK (entrance IS NULL OR length(btrim(entrance)) BETWEEN 1 AND 20),
        -- 公租房 is mostly ≤ 60 ㎡ and 保租房 ≤ 70 ㎡; shared-ownership flats run larger, none above 300 ㎡
        CONSTRAINT housing_units_building_area_check CHECK (building_area > 0 AND building_area <= 300),
        CONSTRAINT housing_units_usable_area_check CHECK (usable_area > 0 AND usable_area <= building_area),
        CONSTRAINT housing_units_status_check CHECK (status IN ('vacant', 'allocated', 'leased', 'under_repair', 'frozen', 'sold', 'disposed')),
        -- only shared-ownership flats are sold (to the household that co-owns them)
        CONSTRAINT housing_units_sold_check CHECK (status <> 'sold' OR housing_type = 'shared_ownership')
      )`);
    // one room number per staircase of a building
    await q.query(`CREATE UNIQUE INDEX housing_units_room_key ON housing_units (building_id, coalesce(entrance, ''), room_no)`);
    // units of a region subtree (list filters, data scope, reconciliation)
    await q.query(`CREATE INDEX housing_units_region_status_idx ON housing_units (region_code, status)`);

    await q.query(`
      CREATE TABLE housing_unit_status_history (
        id           bigserial PRIMARY KEY,
        unit_id      uuid NOT NULL REFERENCES housing_units (id) ON DELETE CASCADE,
        -- NULL for the unit's first status
        from_status  text,
        to_status    text NOT NULL,
        reason       text NOT NULL,
        -- api: a person changed it; import: the unit came in through an import; tenancy: a lease began or ended; seed: demo data
        source       text NOT NULL,
        changed_by   uuid,
        changed_at   timestamptz NOT NULL,
        CONSTRAINT housing_unit_status_history_source_check CHECK (source IN ('api', 'import', 'tenancy', 'seed')),
        CONSTRAINT housing_unit_status_history_reason_check CHECK (length(btrim(reason)) > 0)
      )`);
    // a unit's history, oldest first
    await q.query(`CREATE INDEX housing_unit_status_history_unit_idx ON housing_unit_status_history (unit_id, changed_at, id)`);

    await q.query(`CREATE SEQUENCE households_no_seq`);
    await q.query(`
      CREATE TABLE households (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- 保障对象编号: county code, year of entry and a sequence, e.g. 510107-2025-000012
        household_no            text NOT NULL,
        -- where the household lives (county or street); the data scope is applied to this column
        region_code             text NOT NULL,
        -- dibao 城镇低保, extreme_poverty 分散供养特困, low_income 低收入, lower_middle_income 中等偏下收入,
        -- new_employee 新就业无房职工, migrant_worker 稳定就业外来务工, special_care 优抚对象, arh_new_citizen 保租房对象
        category                text NOT NULL,
        -- in_kind 实物配租, rental_subsidy 租赁补贴, arh 保障性租赁住房
        guarantee_form          text NOT NULL,
        -- yuan a month while the household is on the subsidy roll
        subsidy_monthly_amount  numeric(10, 2),
        -- the applicant's masked name (张*), for lists and the masked-name search; never the clear name
        applicant_name_masked   text NOT NULL,
        created_by              uuid,
        created_at              timestamptz NOT NULL,
        updated_at              timestamptz NOT NULL,
        CONSTRAINT households_household_no_key UNIQUE (household_no),
        CONSTRAINT households_category_check CHECK (category IN (
          'dibao', 'extreme_poverty', 'low_income', 'lower_middle_income', 'new_employee', 'migrant_worker', 'special_care', 'arh_new_citizen')),
        CONSTRAINT households_guarantee_form_check CHECK (guarantee_form IN ('in_kind', 'rental_subsidy', 'arh')),
        CONSTRAINT households_subsidy_check CHECK ((guarantee_form = 'rental_subsidy') = (subsidy_monthly_amount IS NOT NULL)),
        CONSTRAINT households_subsidy_amount_check CHECK (subsidy_monthly_amount > 0 AND subsidy_monthly_amount <= 10000)
      )`);
    // households of a region subtree by category and form (list filters, data scope)
    await q.query(`CREATE INDEX households_region_idx ON households (region_code, category, guarantee_form)`);
    // the masked-name search
    await q.query(`CREATE INDEX households_applicant_name_masked_idx ON households (applicant_name_masked)`);

    await q.query(`
      CREATE TABLE household_members (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id    uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
        -- applicant 申请人, spouse 配偶, child 子女, parent 父母, sibling 兄弟姐妹, grandparent 祖父母, grandchild 孙子女, other 其他
        relation        text NOT NULL,
        position        integer NOT NULL,
        name_enc        text NOT NULL,
        name_masked     text NOT NULL,
        id_number_enc   text NOT NULL,
        id_number_bidx  text NOT NULL,
        phone_enc       text,
        phone_bidx      text,
        CONSTRAINT household_members_relation_check CHECK (relation IN (
          'applicant', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other')),
        CONSTRAINT household_members_position_key UNIQUE (household_id, position),
        CONSTRAINT household_members_phone_check CHECK ((phone_enc IS NULL) = (phone_bidx IS NULL)),
        -- a person belongs to one beneficiary household (保障对象) at a time
        CONSTRAINT household_members_id_number_bidx_key UNIQUE (id_number_bidx)
      )`);
    // exactly one applicant per household (at least one is checked by the service)
    await q.query(`CREATE UNIQUE INDEX household_members_one_applicant_key ON household_members (household_id) WHERE relation = 'applicant'`);
    // exact search by phone through its blind index
    await q.query(`CREATE INDEX household_members_phone_bidx_idx ON household_members (phone_bidx) WHERE phone_bidx IS NOT NULL`);

    await q.query(`
      CREATE TABLE tenancies (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id        uuid NOT NULL REFERENCES housing_units (id),
        household_id   uuid NOT NULL REFERENCES households (id),
        -- 租赁合同编号
        contract_no    text,
        start_date     date NOT NULL,
        -- the lease's agreed end (Order 11: at most 5 years a term)
        end_date       date NOT NULL,
        monthly_rent   numeric(10, 2),
        -- the day the household actually left; NULL while the tenancy is current
        ended_on       date,
        end_reason     text,
        created_by     uuid,
        created_at     timestamptz NOT NULL,
        ended_by       uuid,
        ended_at       timestamptz,
        CONSTRAINT tenancies_contract_no_key UNIQUE (contract_no),
        CONSTRAINT tenancies_term_check CHECK (end_date > start_date AND end_date <= start_date + interval '5 years'),
        CONSTRAINT tenancies_rent_check CHECK (monthly_rent >= 0 AND monthly_rent <= 100000),
        CONSTRAINT tenancies_ended_check CHECK ((ended_on IS NULL) = (end_reason IS NULL) AND (ended_on IS NULL) = (ended_at IS NULL)),
        CONSTRAINT tenancies_ended_on_check CHECK (ended_on >= start_date)
      )`);
    // a unit has at most one current tenancy
    await q.query(`CREATE UNIQUE INDEX tenancies_unit_current_key ON tenancies (unit_id) WHERE ended_on IS NULL`);
    // a household's tenancies (current unit, reconciliation: households in two places)
    await q.query(`CREATE INDEX tenancies_household_idx ON tenancies (household_id) WHERE ended_on IS NULL`);
    // a unit's past tenancies
    await q.query(`CREATE INDEX tenancies_unit_idx ON tenancies (unit_id, start_date)`);

    for (const table of ['housing_projects', 'housing_units', 'households']) {
      await q.query(
        `CREATE TRIGGER ${table}_region_code_check BEFORE INSERT OR UPDATE OF region_code ON ${table}
           FOR EACH ROW EXECUTE FUNCTION housing_region_code_check()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenancies`);
    await q.query(`DROP TABLE household_members`);
    await q.query(`DROP TABLE households`);
    await q.query(`DROP SEQUENCE households_no_seq`);
    await q.query(`DROP TABLE housing_unit_status_history`);
    await q.query(`DROP TABLE housing_units`);
    await q.query(`DROP TABLE housing_buildings`);
    await q.query(`DROP TABLE housing_projects`);
    await q.query(`DROP FUNCTION housing_region_code_check()`);
  }
}
