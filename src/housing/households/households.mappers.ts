import { PersonalDataService } from '../../identity';
import { Category, GuaranteeForm, Relation } from '../housing-codes';
import { HouseholdDto, MemberDto } from './households.dto';
import { HouseholdRow, MemberRow, jsonOf } from './households.repository';

export function toHouseholdDto(r: HouseholdRow): HouseholdDto {
  return {
    id: r.id,
    householdNo: r.household_no,
    regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code,
    category: r.category,
    guaranteeForm: r.guarantee_form,
    subsidyMonthlyAmount: r.subsidy_monthly_amount,
    applicantName: r.applicant_name_masked,
    memberCount: r.member_count,
    labels: { category: Category.labels[r.category], guaranteeForm: GuaranteeForm.labels[r.guarantee_form] },
    currentTenancies: jsonOf(r.current_tenancies),
    createdAt: r.created_at.toISOString(),
  };
}

/** A member as responses show it: every personal field masked. */
export function toMaskedMember(m: MemberRow, personal: PersonalDataService): MemberDto {
  return {
    id: m.id,
    relation: m.relation,
    relationLabel: Relation.labels[m.relation],
    name: personal.masked('name', m.name_enc)!,
    idNumber: personal.masked('idNumber', m.id_number_enc)!,
    phone: personal.masked('phone', m.phone_enc),
  };
}
