import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Actor } from '../../api';
import { Permission, PersonalDataService, assertCan } from '../../identity';
import { Relation } from '../housing-codes';
import { exportTooLarge } from '../housing.errors';
import { addNotes, addTable, finish } from '../import/workbooks';
import { MAX_EXPORT_ROWS } from '../stock/units-export.service';
import { ExportHouseholdsQuery, HouseholdDto } from './households.dto';
import { toHouseholdDto } from './households.mappers';
import { HouseholdsRepository, MemberRow } from './households.repository';

type PersonalValues = { name: string | null; idNumber: string | null; phone: string | null };

const HOUSEHOLD_COLUMNS = [
  { header: '保障对象编号', en: 'Household number', width: 20 },
  { header: '区划代码', en: 'Region code', width: 12, text: true },
  { header: '区划名称', en: 'Region name', width: 12 },
  { header: '保障类别', en: 'Category', width: 24 },
  { header: '保障方式', en: 'Guarantee form', width: 14 },
  { header: '月租赁补贴(元)', en: 'Monthly subsidy (yuan)', width: 14 },
  { header: '当前房源资产编号', en: 'Current unit asset number(s)', width: 20 },
  { header: '家庭人数', en: 'Members', width: 8 },
  { header: '申请人', en: 'Applicant', width: 12 },
];

const MEMBER_COLUMNS = [
  { header: '保障对象编号', en: 'Household number', width: 20 },
  { header: '与申请人关系', en: 'Relation to the applicant', width: 14 },
  { header: '姓名', en: 'Name', width: 12 },
  { header: '身份证号', en: 'ID number', width: 22, text: true },
  { header: '电话', en: 'Phone', width: 16, text: true },
];

/**
 * The beneficiary list as XLSX with the list's filters: one sheet of households, one of members.
 * Personal data is masked; `unmask=true` gives clear values to a caller with the unmask
 * permission and a purpose, each member's disclosure audited before it is written out.
 */
@Injectable()
export class HouseholdsExportService {
  constructor(
    private readonly households: HouseholdsRepository,
    private readonly personal: PersonalDataService,
  ) {}

  async export(actor: Actor, q: ExportHouseholdsQuery): Promise<Buffer> {
    const { unmask = false, purpose, ...filter } = q;
    if (unmask) assertCan(actor, Permission.PersonalDataReveal);
    const { rows, total } = await this.households.list(actor, filter, MAX_EXPORT_ROWS, 0);
    if (total > MAX_EXPORT_ROWS) throw exportTooLarge(MAX_EXPORT_ROWS);
    const households: HouseholdDto[] = rows.map(toHouseholdDto);
    const order = new Map(households.map((h, i) => [h.id, i]));
    // by household number, then each household's own order (a stable sort keeps it)
    const members = (await this.households.members(households.map((h) => h.id))).sort((a, b) => order.get(a.household_id)! - order.get(b.household_id)!);
    const byHousehold = new Map(households.map((h) => [h.id, h]));
    const values: PersonalValues[] = [];
    for (const m of members) values.push(unmask ? await this.clear(actor, m, purpose) : this.maskedOf(m));
    const applicantOf = new Map(members.map((m, i) => [m, i] as const).filter(([m]) => m.relation === 'applicant').map(([m, i]) => [m.household_id, i]));

    const workbook = new ExcelJS.Workbook();
    addTable(
      workbook,
      '保障对象',
      HOUSEHOLD_COLUMNS,
      households.map((h) => {
        const applicant = applicantOf.get(h.id);
        return [
          h.householdNo,
          h.regionCode,
          h.regionName,
          h.labels.category.zh,
          h.labels.guaranteeForm.zh,
          h.subsidyMonthlyAmount ?? '',
          h.currentTenancies.map((t) => t.assetNo).join('、'),
          h.memberCount,
          applicant === undefined ? h.applicantName : values[applicant].name,
        ];
      }),
    );
    addTable(
      workbook,
      '家庭成员',
      MEMBER_COLUMNS,
      members.map((m, i) => [byHousehold.get(m.household_id)!.householdNo, Relation.labels[m.relation].zh, values[i].name, values[i].idNumber, values[i].phone ?? '']),
    );
    const hint = { zh: unmask ? '明文导出，已逐人记入审计日志' : '已脱敏', en: unmask ? 'in clear; each member audited' : 'masked' };
    addNotes(workbook, [...HOUSEHOLD_COLUMNS, ...MEMBER_COLUMNS.slice(1)].map((c) => ({ zh: c.header, en: c.en, hint })));
    return finish(workbook);
  }

  private maskedOf(m: MemberRow): PersonalValues {
    return { name: this.personal.masked('name', m.name_enc), idNumber: this.personal.masked('idNumber', m.id_number_enc), phone: this.personal.masked('phone', m.phone_enc) };
  }

  private async clear(actor: Actor, m: MemberRow, purpose: string | undefined): Promise<PersonalValues> {
    const out = await this.personal.reveal(actor, {
      permission: Permission.PersonalDataReveal,
      objectType: 'household_member',
      objectId: m.id,
      purpose,
      values: { name: m.name_enc, idNumber: m.id_number_enc, phone: m.phone_enc },
    });
    return { name: out.name ?? null, idNumber: out.idNumber ?? null, phone: out.phone ?? null };
  }
}
