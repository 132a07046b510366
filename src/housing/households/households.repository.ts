import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../api';
import { maskName } from '../../identity';
import { Category, GuaranteeForm, Relation } from '../housing-codes';
import { scopeSql, subtreeSql } from '../housing-access';
import { likePrefix } from '../stock/units.repository';
import { BeneficiaryFacts } from './household-facts';
import { HouseholdFilterQuery } from './households.dto';

export interface TenancyRef {
  id: string;
  unitId: string;
  assetNo: string;
  startDate: string;
  endDate: string;
  endedOn: string | null;
}

/** A household as read: its sealed facts opened (category, subsidy). */
export interface HouseholdRow {
  id: string;
  household_no: string;
  region_code: string;
  region_name: string | null;
  category: Category;
  guarantee_form: GuaranteeForm;
  subsidy_monthly_amount: number | null;
  applicant_name_masked: string;
  member_count: number;
  current_tenancies: TenancyRef[] | string;
  created_at: Date;
}

/** A household as stored: category and subsidy in their envelopes. */
type StoredHouseholdRow = Omit<HouseholdRow, 'category' | 'subsidy_monthly_amount'> & { category_enc: string; subsidy_enc: string | null };

export interface MemberRow {
  id: string;
  relation: Relation;
  name_enc: string;
  id_number_enc: string;
  phone_enc: string | null;
}

export interface NewMember {
  relation: Relation;
  nameEnc: string;
  nameMasked: string;
  idNumberEnc: string;
  idNumberBidx: string;
  phoneEnc: string | null;
  phoneBidx: string | null;
}

export interface NewHousehold {
  regionCode: string;
  category: Category;
  guaranteeForm: GuaranteeForm;
  subsidyMonthlyAmount: number | null;
  applicantNameMasked: string;
}

const TENANCY_JSON = `json_build_object('id', t.id, 'unitId', t.unit_id, 'assetNo', u.asset_no, 'startDate', to_char(t.start_date, 'YYYY-MM-DD'),
  'endDate', to_char(t.end_date, 'YYYY-MM-DD'), 'endedOn', to_char(t.ended_on, 'YYYY-MM-DD'))`;

const SELECT = `
  SELECT h.id, h.household_no, h.region_code, rg.name AS region_name, h.category_enc, h.guarantee_form, h.subsidy_enc,
         h.applicant_name_masked, h.created_at,
         (SELECT count(*)::int FROM household_members m WHERE m.household_id = h.id) AS member_count,
         coalesce((SELECT json_agg(${TENANCY_JSON} ORDER BY t.start_date, t.id) FROM tenancies t JOIN housing_units u ON u.id = t.unit_id
                    WHERE t.household_id = h.id AND t.ended_on IS NULL), '[]'::json) AS current_tenancies
    FROM households h
    LEFT JOIN regions rg ON rg.code = h.region_code AND rg.valid_to IS NULL`;

/** The JSON column as the driver hands it over (parsed by node-postgres, text elsewhere). */
export function jsonOf<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** The list's filters as asked (the exact searches already as blind indexes). */
export type HouseholdListFilter = HouseholdFilterQuery & { idNumberBidx?: string; phoneBidx?: string };
/** …and as looked up: the category code by its blind index too. */
export type HouseholdFilter = Omit<HouseholdListFilter, 'category'> & { categoryBidx?: string };

/** WHERE of the household list and export: the caller's scope and the filters (the category by its blind index). */
export function householdWhere(actor: Actor, f: HouseholdFilter, params: unknown[]): string {
  const where = [scopeSql(actor, 'h.region_code', params)];
  const eq = (column: string, value: unknown) => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (f.region) where.push(subtreeSql(f.region, 'h.region_code', params));
  if (f.categoryBidx) eq('h.category_bidx', f.categoryBidx);
  if (f.guaranteeForm) eq('h.guarantee_form', f.guaranteeForm);
  if (f.housed !== undefined) where.push(`${f.housed ? '' : 'NOT '}EXISTS (SELECT 1 FROM tenancies t WHERE t.household_id = h.id AND t.ended_on IS NULL)`);
  if (f.name) {
    // masked names only: 张三 → 张*; a lone character finds every name it begins
    const name = f.name.trim();
    params.push([...name].length === 1 ? likePrefix(name) : name.includes('*') ? name.replace(/[\\%_]/g, (c) => `\\${c}`) : maskName(name));
    where.push(`EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.name_masked LIKE $${params.length})`);
  }
  if (f.idNumberBidx) {
    params.push(f.idNumberBidx);
    where.push(`EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.id_number_bidx = $${params.length})`);
  }
  if (f.phoneBidx) {
    params.push(f.phoneBidx);
    where.push(`EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.phone_bidx = $${params.length})`);
  }
  return where.join(' AND ');
}

@Injectable()
export class HouseholdsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly facts: BeneficiaryFacts,
  ) {}

  /** The list's filters as stored: a category code becomes its blind index. */
  private filterOf(f: HouseholdListFilter): HouseholdFilter {
    const { category, ...rest } = f;
    return { ...rest, ...(category ? { categoryBidx: this.facts.categoryIndex(category) } : {}) };
  }

  async list(actor: Actor, f: HouseholdListFilter, limit: number, offset: number): Promise<{ rows: HouseholdRow[]; total: number }> {
    const params: unknown[] = [];
    const where = householdWhere(actor, this.filterOf(f), params);
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM households h WHERE ${where}`, params)) as { total: number }[];
    const rows = (await this.ds.query(`${SELECT} WHERE ${where} ORDER BY h.household_no LIMIT ${limit} OFFSET ${offset}`, params)) as StoredHouseholdRow[];
    return { rows: rows.map((r) => this.opened(r)), total };
  }

  async find(actor: Actor, id: string, em?: EntityManager, lock = false): Promise<HouseholdRow | null> {
    const params: unknown[] = [id];
    const scope = scopeSql(actor, 'h.region_code', params);
    const m = em ?? this.ds.manager;
    if (lock) await m.query(`SELECT 1 FROM households h WHERE h.id = $1 AND ${scope} FOR UPDATE`, params);
    const [row] = (await m.query(`${SELECT} WHERE h.id = $1 AND ${scope}`, params)) as StoredHouseholdRow[];
    return row ? this.opened(row) : null;
  }

  private opened({ category_enc, subsidy_enc, ...r }: StoredHouseholdRow): HouseholdRow {
    return { ...r, category: this.facts.openCategory(category_enc), subsidy_monthly_amount: this.facts.openSubsidy(subsidy_enc) };
  }

  async members(householdIds: string[], em?: EntityManager): Promise<(MemberRow & { household_id: string })[]> {
    return (await (em ?? this.ds.manager).query(
      `SELECT id, household_id, relation, name_enc, id_number_enc, phone_enc FROM household_members WHERE household_id = ANY($1::uuid[]) ORDER BY household_id, position`,
      [householdIds],
    )) as (MemberRow & { household_id: string })[];
  }

  async tenancies(householdId: string): Promise<TenancyRef[]> {
    const [row] = (await this.ds.query(
      `SELECT coalesce(json_agg(${TENANCY_JSON} ORDER BY t.start_date DESC, t.id), '[]'::json) AS list
         FROM tenancies t JOIN housing_units u ON u.id = t.unit_id WHERE t.household_id = $1`,
      [householdId],
    )) as { list: TenancyRef[] | string }[];
    return jsonOf(row.list);
  }

  /** Members whose ID number (blind index) already belongs to a household. */
  async takenIdNumbers(bidx: string[], em: EntityManager): Promise<Set<string>> {
    const rows = (await em.query(`SELECT id_number_bidx FROM household_members WHERE id_number_bidx = ANY($1::text[])`, [bidx])) as { id_number_bidx: string }[];
    return new Set(rows.map((r) => r.id_number_bidx));
  }

  async insert(h: NewHousehold, members: NewMember[], by: string | null, now: Date, em: EntityManager): Promise<string> {
    const [{ no }] = (await em.query(`SELECT nextval('households_no_seq') AS no`)) as { no: string }[];
    const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
    const householdNo = `${h.regionCode.slice(0, 6)}-${year}-${String(no).padStart(6, '0')}`;
    const category = this.facts.sealCategory(h.category);
    const [{ id }] = (await em.query(
      `INSERT INTO households (household_no, region_code, category_enc, category_bidx, guarantee_form, subsidy_enc, applicant_name_masked, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
      [householdNo, h.regionCode, category.enc, category.bidx, h.guaranteeForm, this.facts.sealSubsidy(h.subsidyMonthlyAmount), h.applicantNameMasked, by, now],
    )) as { id: string }[];
    const col = <K extends keyof NewMember>(k: K) => members.map((m) => m[k]);
    await em.query(
      `INSERT INTO household_members (household_id, relation, position, name_enc, name_masked, id_number_enc, id_number_bidx, phone_enc, phone_bidx)
       SELECT $1, r, p::int - 1, ne, nm, ie, ib, pe, pb
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS x(r, ne, nm, ie, ib, pe, pb, p)`,
      [id, col('relation'), col('nameEnc'), col('nameMasked'), col('idNumberEnc'), col('idNumberBidx'), col('phoneEnc'), col('phoneBidx')],
    );
    return id;
  }

  async setGuarantee(id: string, form: GuaranteeForm, amount: number | null, now: Date, em: EntityManager): Promise<void> {
    await em.query(`UPDATE households SET guarantee_form = $2, subsidy_enc = $3, updated_at = $4 WHERE id = $1`, [id, form, this.facts.sealSubsidy(amount), now]);
  }
}
