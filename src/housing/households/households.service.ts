import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../../api';
import { AuditContext } from '../../audit';
import { BadInputError, Clock, isUuid } from '../../common';
import { Permission, PersonalDataService, maskName } from '../../identity';
import { GuaranteeForm } from '../housing-codes';
import { uniqueViolation, writableRegion } from '../housing-access';
import { householdMembersInvalid, householdNotFound, personInAnotherHousehold, subsidyInvalid } from '../housing.errors';
import { Page } from '../stock/stock.dto';
import {
  ChangeGuaranteeDto,
  CreateHouseholdDto,
  HouseholdDetailDto,
  HouseholdDto,
  ListHouseholdsQuery,
  MemberDto,
  MemberInputDto,
  RevealMembersDto,
  SearchHouseholdsDto,
} from './households.dto';
import { checkCategory, subsidyAmountProblem } from './household-facts';
import { toHouseholdDto, toMaskedMember } from './households.mappers';
import { HouseholdsRepository, NewMember } from './households.repository';

/**
 * A subsidy amount goes with the rental-subsidy form and with nothing else, more than 0 and at most
 * 10 000 yuan a month (checked here: the database holds it sealed and can no longer check it).
 */
export function checkSubsidy(form: GuaranteeForm, amount: number | undefined): number | null {
  if (form === 'rental_subsidy' && amount === undefined) throw subsidyInvalid('is required for the rental_subsidy guarantee form');
  if (form !== 'rental_subsidy' && amount !== undefined) throw subsidyInvalid(`must be absent for the ${form} guarantee form`);
  const problem = amount === undefined ? null : subsidyAmountProblem(amount);
  if (problem) throw subsidyInvalid(problem);
  return amount ?? null;
}

/** Exactly one applicant, at most one spouse, no person twice. */
export function memberProblems(members: MemberInputDto[], normalizedIds: string[]): string[] {
  const problems: string[] = [];
  const applicants = members.filter((m) => m.relation === 'applicant').length;
  if (applicants !== 1) problems.push(`must hold exactly one applicant (holds ${applicants})`);
  if (members.filter((m) => m.relation === 'spouse').length > 1) problems.push('holds more than one spouse');
  normalizedIds.forEach((id, i) => {
    const first = normalizedIds.indexOf(id);
    if (first < i) problems.push(`members ${first} and ${i} have the same ID number`);
  });
  return problems;
}

/** The beneficiary list (保障对象清单): households and their members, inside the caller's region scope. */
@Injectable()
export class HouseholdsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly households: HouseholdsRepository,
    private readonly personal: PersonalDataService,
    private readonly audit: AuditContext,
  ) {}

  async list(actor: Actor, q: ListHouseholdsQuery): Promise<Page<HouseholdDto>> {
    const { limit = 50, offset = 0, ...filter } = q;
    const { rows, total } = await this.households.list(actor, filter, limit, offset);
    return { items: rows.map(toHouseholdDto), total, limit, offset };
  }

  /** Exact search by a member's ID number or phone, through the blind index. */
  async search(actor: Actor, q: SearchHouseholdsDto): Promise<Page<HouseholdDto>> {
    const { limit = 50, offset = 0, idNumber, phone, region } = q;
    if (!idNumber && !phone) throw new BadInputError('VALIDATION_FAILED', 'Give idNumber or phone', { fields: [{ field: 'idNumber', problems: ['give idNumber or phone'] }] });
    this.audit.note({ objectType: 'household', fields: [...(idNumber ? ['idNumber'] : []), ...(phone ? ['phone'] : [])] });
    const filter = {
      region,
      idNumberBidx: idNumber ? this.personal.blindIndex('idNumber', this.personal.checkIdNumber(idNumber)) : undefined,
      phoneBidx: phone ? this.personal.blindIndex('phone', this.personal.checkPhone(phone)) : undefined,
    };
    const { rows, total } = await this.households.list(actor, filter, limit, offset);
    return { items: rows.map(toHouseholdDto), total, limit, offset };
  }

  async get(actor: Actor, id: string): Promise<HouseholdDetailDto> {
    const row = isUuid(id) ? await this.households.find(actor, id) : null;
    if (!row) throw householdNotFound(id);
    const members = (await this.households.members([id])).map((m) => toMaskedMember(m, this.personal));
    return { ...toHouseholdDto(row), members, tenancies: await this.households.tenancies(id) };
  }

  async create(actor: Actor, dto: CreateHouseholdDto): Promise<HouseholdDetailDto> {
    const category = checkCategory(dto.category);
    const subsidy = checkSubsidy(dto.guaranteeForm, dto.subsidyMonthlyAmount);
    const ids = dto.members.map((m, i) => this.personal.checkIdNumber(m.idNumber, `members.${i}.idNumber`));
    const phones = dto.members.map((m, i) => (m.phone?.trim() ? this.personal.checkPhone(m.phone, `members.${i}.phone`) : null));
    const problems = memberProblems(dto.members, ids);
    if (problems.length) throw householdMembersInvalid(problems);
    const members: NewMember[] = dto.members.map((m, i) => {
      const id = this.personal.protect('idNumber', ids[i]);
      const phone = phones[i] ? this.personal.protect('phone', phones[i]!) : null;
      return {
        relation: m.relation,
        nameEnc: this.personal.protect('name', m.name.trim()).enc,
        nameMasked: maskName(m.name),
        idNumberEnc: id.enc,
        idNumberBidx: id.bidx!,
        phoneEnc: phone?.enc ?? null,
        phoneBidx: phone?.bidx ?? null,
      };
    });
    const applicant = members[dto.members.findIndex((m) => m.relation === 'applicant')];
    const householdId = await this.ds
      .transaction(async (em) => {
        await writableRegion(em, actor, dto.regionCode);
        const taken = await this.households.takenIdNumbers(
          members.map((m) => m.idNumberBidx),
          em,
        );
        const clash = members.findIndex((m) => taken.has(m.idNumberBidx));
        if (clash >= 0) throw personInAnotherHousehold(clash);
        const household = { regionCode: dto.regionCode, category, guaranteeForm: dto.guaranteeForm, subsidyMonthlyAmount: subsidy, applicantNameMasked: applicant.nameMasked };
        return this.households.insert(household, members, actor.id, this.clock.now(), em);
      })
      .catch((e: unknown) => {
        throw uniqueViolation(e, 'household_members_id_number_bidx_key') ? personInAnotherHousehold(0) : e;
      });
    this.audit.note({ objectType: 'household', objectId: householdId });
    return this.get(actor, householdId);
  }

  /** The members' clear values, for a caller with the unmask permission and a purpose; one audit row per member, written first. */
  async reveal(actor: Actor, id: string, dto: RevealMembersDto): Promise<(Pick<MemberDto, 'id' | 'relation'> & Partial<Record<'name' | 'idNumber' | 'phone', string | null>>)[]> {
    const row = isUuid(id) ? await this.households.find(actor, id) : null;
    if (!row) throw householdNotFound(id);
    const out = [];
    for (const m of await this.households.members([id])) {
      const stored = { name: m.name_enc, idNumber: m.id_number_enc, phone: m.phone_enc };
      const values = Object.fromEntries(dto.fields.map((f) => [f, stored[f]]));
      const clear = await this.personal.reveal(actor, { permission: Permission.PersonalDataReveal, objectType: 'household_member', objectId: m.id, purpose: dto.purpose, values });
      out.push({ id: m.id, relation: m.relation, ...clear });
    }
    return out;
  }

  /** Moves a household to another guarantee form (e.g. off the subsidy roll once housed in kind). */
  async changeGuarantee(actor: Actor, id: string, dto: ChangeGuaranteeDto): Promise<HouseholdDetailDto> {
    const amount = checkSubsidy(dto.guaranteeForm, dto.subsidyMonthlyAmount);
    this.audit.note({ objectType: 'household', objectId: id, purpose: dto.reason.trim() });
    await this.ds.transaction(async (em) => {
      const row = isUuid(id) ? await this.households.find(actor, id, em, true) : null;
      if (!row) throw householdNotFound(id);
      await this.households.setGuarantee(id, dto.guaranteeForm, amount, this.clock.now(), em);
    });
    return this.get(actor, id);
  }
}
