import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { Clock, isUuid } from '../../common';
import { UnitStatus, labelled } from '../housing-codes';
import { isCalendarDate, localDate, plusYears } from '../dates';
import { scopeSql, uniqueViolation } from '../housing-access';
import {
  contractNoTaken,
  householdAlreadyHoused,
  householdNotFound,
  tenancyDatesInvalid,
  tenancyEnded,
  tenancyNotFound,
  unitNotFound,
  unitNotLettable,
  unitOccupied,
} from '../housing.errors';
import { UnitsRepository } from '../stock/units.repository';
import { LETTABLE_STATUSES } from '../unit.state';
import { HouseholdsRepository, jsonOf } from './households.repository';
import { CreateTenancyDto, EndTenancyDto, TenancyDto, TenancyWarningDto } from './tenancies.dto';

interface TenancyRow {
  id: string;
  unit_id: string;
  asset_no: string;
  unit_status: UnitStatus;
  household_id: string;
  household_no: string;
  contract_no: string | null;
  start_date: string;
  end_date: string;
  monthly_rent: string | null;
  ended_on: string | null;
  end_reason: string | null;
}

/** Tenancies (租赁关系): a household in a unit from a start date; beginning one leases the unit, ending one frees it. */
@Injectable()
export class TenanciesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly units: UnitsRepository,
    private readonly households: HouseholdsRepository,
    private readonly audit: AuditContext,
  ) {}

  async create(actor: Actor, dto: CreateTenancyDto): Promise<TenancyDto> {
    if (!isCalendarDate(dto.startDate)) throw tenancyDatesInvalid('startDate', 'is not a calendar date');
    if (!isCalendarDate(dto.endDate)) throw tenancyDatesInvalid('endDate', 'is not a calendar date');
    if (dto.endDate <= dto.startDate) throw tenancyDatesInvalid('endDate', 'must be after startDate');
    if (dto.endDate > plusYears(dto.startDate, 5)) throw tenancyDatesInvalid('endDate', 'a lease runs at most 5 years (公共租赁住房管理办法 art. 17)');
    const warnings: TenancyWarningDto[] = [];
    const id = await this.ds
      .transaction(async (em) => {
        const unit = await this.units.find(actor, dto.unitId, em, true);
        if (!unit) throw unitNotFound(dto.unitId);
        const household = await this.households.find(actor, dto.householdId, em, true);
        if (!household) throw householdNotFound(dto.householdId);
        if (unit.t_id) throw unitOccupied();
        if (!LETTABLE_STATUSES.includes(unit.status)) throw unitNotLettable(unit.status);
        if (jsonOf(household.current_tenancies).length) throw householdAlreadyHoused();
        if (household.guarantee_form === 'rental_subsidy') {
          warnings.push({
            code: 'SUBSIDY_STILL_PAID',
            zh: '该家庭仍在领取租赁补贴：请变更保障方式，停发补贴',
            en: 'The household still receives a rental subsidy: change its guarantee form to stop it',
          });
        }
        const now = this.clock.now();
        const [row] = (await em.query(
          `INSERT INTO tenancies (unit_id, household_id, contract_no, start_date, end_date, monthly_rent, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [unit.id, household.id, dto.contractNo?.trim() || null, dto.startDate, dto.endDate, dto.monthlyRent ?? null, actor.id, now],
        )) as { id: string }[];
        const reason = `租约开始 (tenancy began): ${household.household_no}${dto.contractNo ? `, ${dto.contractNo.trim()}` : ''}`;
        await this.units.changeStatus({ unitId: unit.id, from: unit.status, to: 'leased', reason, source: 'tenancy', by: actor.id, at: now }, em);
        return row.id;
      })
      .catch((e: unknown) => {
        if (uniqueViolation(e, 'tenancies_contract_no_key')) throw contractNoTaken();
        if (uniqueViolation(e, 'tenancies_unit_current_key')) throw unitOccupied();
        throw e;
      });
    this.audit.note({ objectType: 'tenancy', objectId: id });
    return { ...(await this.get(actor, id)), warnings };
  }

  /** Ends a current tenancy on the day the household left; a unit still marked leased becomes vacant. */
  async end(actor: Actor, id: string, dto: EndTenancyDto): Promise<TenancyDto> {
    this.audit.note({ objectType: 'tenancy', objectId: id });
    const today = localDate(this.clock.now());
    const endedOn = dto.endedOn ?? today;
    if (!isCalendarDate(endedOn)) throw tenancyDatesInvalid('endedOn', 'is not a calendar date');
    if (endedOn > today) throw tenancyDatesInvalid('endedOn', 'must not be in the future');
    await this.ds.transaction(async (em) => {
      const t = await this.find(actor, id, em, true);
      if (!t) throw tenancyNotFound(id);
      if (t.ended_on) throw tenancyEnded(id);
      if (endedOn < t.start_date) throw tenancyDatesInvalid('endedOn', `must not be before the start ${t.start_date}`);
      const now = this.clock.now();
      await em.query(`UPDATE tenancies SET ended_on = $2, end_reason = $3, ended_by = $4, ended_at = $5 WHERE id = $1`, [id, endedOn, dto.reason.trim(), actor.id, now]);
      if (t.unit_status === 'leased') {
        const reason = `租约结束 (tenancy ended): ${t.household_no}, ${dto.reason.trim()}`;
        await this.units.changeStatus({ unitId: t.unit_id, from: 'leased', to: 'vacant', reason, source: 'tenancy', by: actor.id, at: now }, em);
      }
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<TenancyDto> {
    const t = await this.find(actor, id);
    if (!t) throw tenancyNotFound(id);
    return {
      id: t.id,
      unitId: t.unit_id,
      assetNo: t.asset_no,
      householdId: t.household_id,
      householdNo: t.household_no,
      contractNo: t.contract_no,
      startDate: t.start_date,
      endDate: t.end_date,
      monthlyRent: t.monthly_rent === null ? null : Number(t.monthly_rent),
      endedOn: t.ended_on,
      endReason: t.end_reason,
      unitStatus: labelled(UnitStatus, t.unit_status),
      warnings: [],
    };
  }

  /** A tenancy whose unit is in the caller's scope. */
  private async find(actor: Actor, id: string, em?: EntityManager, lock = false): Promise<TenancyRow | null> {
    if (!isUuid(id)) return null;
    const params: unknown[] = [id];
    const scope = scopeSql(actor, 'u.region_code', params);
    const m = em ?? this.ds.manager;
    const [row] = (await m.query(
      `SELECT t.id, t.unit_id, u.asset_no, u.status AS unit_status, t.household_id, h.household_no, t.contract_no,
              to_char(t.start_date, 'YYYY-MM-DD') AS start_date, to_char(t.end_date, 'YYYY-MM-DD') AS end_date, t.monthly_rent,
              to_char(t.ended_on, 'YYYY-MM-DD') AS ended_on, t.end_reason
         FROM tenancies t JOIN housing_units u ON u.id = t.unit_id JOIN households h ON h.id = t.household_id
        WHERE t.id = $1 AND ${scope}${lock ? ' FOR UPDATE OF t, u' : ''}`,
      params,
    )) as TenancyRow[];
    return row ?? null;
  }
}
