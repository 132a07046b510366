import { FormComponent, evaluateFeel } from '../../engine';
import { SubmissionSchemaBuilder } from './form-json-schema';
import { validateFormData } from './form-validator';

const evaluate = (expression: string, context: Record<string, unknown>) => evaluateFeel(expression, context);

/** The street review form of test/fixtures/forms, inline so this spec stands alone. */
const streetReview: FormComponent[] = [
  { type: 'text', text: '### 街道初审' },
  { type: 'textfield', id: 'Field_Applicant', key: 'applicantName', label: '申请人', readonly: true },
  {
    type: 'select',
    key: 'decision',
    label: '审核结论',
    values: [
      { label: '通过', value: 'approve' },
      { label: '不通过', value: 'reject' },
    ],
    validate: { required: true },
  },
  { type: 'textarea', key: 'opinion', label: '审核意见', validate: { required: true, minLength: 2, maxLength: 500 } },
  { type: 'textfield', key: 'rejectReason', label: '不通过原因', conditional: { hide: '=decision != "reject"' }, validate: { required: true } },
  { type: 'number', key: 'days', label: '办理时限（工作日）', decimalDigits: 0, validate: { required: true, min: 1, max: 15 } },
  { type: 'button', action: 'submit', label: '提交' },
];
const form = (components: FormComponent[]) => ({ components });
const check = (components: FormComponent[], data: Record<string, unknown>, current: Record<string, unknown> = {}, today?: string) =>
  validateFormData(form(components), data, { current, evaluate, today });
const codes = (problems: { field: string; code: string }[]) => problems.map((p) => `${p.field}:${p.code}`);

describe('validateFormData', () => {
  it('accepts a complete, valid submission (with the read-only field sent back unchanged)', () => {
    const current = { applicantName: '张三' };
    expect(check(streetReview, { applicantName: '张三', decision: 'approve', opinion: '材料齐全，同意。', days: 5 }, current)).toEqual([]);
    expect(check(streetReview, { decision: 'reject', opinion: '收入超标', rejectReason: '家庭收入超过标准', days: 15 }, current)).toEqual([]);
  });

  it('reports every bad field at once, in form order, with the label and messages in English and Chinese', () => {
    const problems = check(streetReview, { decision: 'maybe', days: 20 });
    expect(codes(problems)).toEqual(['decision:NOT_AN_OPTION', 'opinion:REQUIRED', 'days:ABOVE_MAX']);
    expect(problems[0]).toEqual({
      field: 'decision',
      code: 'NOT_AN_OPTION',
      label: '审核结论',
      message: '审核结论 must be one of: 通过、不通过',
      messageZh: '审核结论只能是以下之一：通过、不通过',
    });
    expect(problems[1].messageZh).toBe('请填写审核意见');
    expect(problems[2].message).toBe('办理时限（工作日） must be at most 15');
  });

  it('treats null, empty and blank text as missing, and counts length without surrounding spaces', () => {
    expect(codes(check(streetReview, { decision: null, opinion: '   ', days: 3 }))).toEqual(['decision:REQUIRED', 'opinion:REQUIRED']);
    expect(codes(check(streetReview, { decision: 'approve', opinion: ' 好 ', days: 3 }))).toEqual(['opinion:TOO_SHORT']);
    expect(codes(check(streetReview, { decision: 'approve', opinion: '意'.repeat(501), days: 3 }))).toEqual(['opinion:TOO_LONG']);
  });

  it('checks types: text is text, numbers are numbers (whole when decimalDigits is 0), and below min', () => {
    expect(codes(check(streetReview, { decision: 'approve', opinion: 42, days: '5' }))).toEqual(['opinion:INVALID_TYPE', 'days:INVALID_TYPE']);
    expect(codes(check(streetReview, { decision: 'approve', opinion: '同意', days: 0 }))).toEqual(['days:BELOW_MIN']);
    const [decimals] = check(streetReview, { decision: 'approve', opinion: '同意', days: 2.5 });
    expect(decimals).toMatchObject({ field: 'days', code: 'TOO_MANY_DECIMALS', messageZh: '办理时限（工作日）必须是整数' });
  });

  it('requires a field a FEEL condition shows, and refuses a value for one it hides', () => {
    expect(codes(check(streetReview, { decision: 'reject', opinion: '不符合条件', days: 3 }))).toEqual(['rejectReason:REQUIRED']);
    expect(codes(check(streetReview, { decision: 'approve', opinion: '同意', days: 3, rejectReason: '无' }))).toEqual(['rejectReason:HIDDEN']);
    // an empty value for a hidden field is what form-js itself leaves
    expect(check(streetReview, { decision: 'approve', opinion: '同意', days: 3, rejectReason: '' })).toEqual([]);
  });

  it('keeps read-only and disabled fields at their current values', () => {
    const current = { applicantName: '张三', score: 80 };
    const components: FormComponent[] = [
      ...streetReview,
      { type: 'number', key: 'score', label: '评分', disabled: true },
      { type: 'textfield', key: 'remark', label: '备注', readonly: '=decision = "approve"' },
    ];
    const ok = { decision: 'approve', opinion: '同意', days: 3 };
    expect(check(components, { ...ok, applicantName: '张三', score: 80 }, current)).toEqual([]);
    expect(codes(check(components, { ...ok, applicantName: '李四', score: 99, remark: '改' }, current))).toEqual([
      'applicantName:READONLY',
      'score:DISABLED',
      'remark:READONLY',
    ]);
    expect(check(components, { ...ok, decision: 'reject', rejectReason: '不符', remark: '可改' }, current)).toEqual([]);
  });

  it('refuses variables that are not fields of the form', () => {
    const problems = check(streetReview, { decision: 'approve', opinion: '同意', days: 3, approved: true });
    expect(problems).toEqual([expect.objectContaining({ field: 'approved', code: 'UNKNOWN_FIELD', messageZh: 'approved不是此表单的字段' })]);
  });

  it('checks text patterns (with the form author\'s message), email and Chinese phone numbers', () => {
    const components: FormComponent[] = [
      { type: 'textfield', key: 'idNumber', label: '身份证号码', validate: { pattern: '^\\d{17}[\\dX]$', patternErrorMessage: '身份证号码应为18位' } },
      { type: 'textfield', key: 'email', label: '电子邮箱', validate: { validationType: 'email' } },
      { type: 'textfield', key: 'phone', label: '联系电话', validate: { validationType: 'phone' } },
    ];
    expect(check(components, { idNumber: '51010419900101123X', email: 'zhang@example.cn', phone: '139 1234 5678' })).toEqual([]);
    expect(check(components, { phone: '028-86123456' })).toEqual([]);
    expect(check(components, { phone: '+8613912345678' })).toEqual([]);
    const problems = check(components, { idNumber: '5101', email: 'zhang@', phone: '12345' });
    expect(codes(problems)).toEqual(['idNumber:PATTERN_MISMATCH', 'email:INVALID_EMAIL', 'phone:INVALID_PHONE']);
    expect(problems[0].messageZh).toBe('身份证号码应为18位');
  });

  it('checks checkboxes, checklists and taglists, with options from the form, a variable or a FEEL expression', () => {
    const components: FormComponent[] = [
      { type: 'checkbox', key: 'confirmed', label: '已核实', validate: { required: true } },
      { type: 'checklist', key: 'materials', label: '材料', values: [{ label: '户口簿', value: 'hukou' }, { label: '收入证明', value: 'income' }], validate: { required: true } },
      { type: 'taglist', key: 'streets', label: '街道', valuesKey: 'streetOptions' },
      { type: 'radio', key: 'level', label: '困难程度', valuesExpression: '=for n in [1, 2, 3] return {label: string(n) + "级", value: n}' },
      { type: 'select', key: 'free', label: '自由选项', valuesKey: 'notGiven' },
    ];
    const current = { streetOptions: [{ label: '春熙路街道', value: '510104001' }, '510104002'] };
    expect(check(components, { confirmed: true, materials: ['hukou'], streets: ['510104001', '510104002'], level: 2, free: 'x' }, current)).toEqual([]);
    const problems = check(components, { confirmed: false, materials: ['hukou', 'hukou'], streets: ['999'], level: 4, free: { no: 1 } }, current);
    expect(codes(problems)).toEqual(['confirmed:REQUIRED', 'materials:DUPLICATE_OPTION', 'streets:NOT_AN_OPTION', 'level:NOT_AN_OPTION', 'free:INVALID_TYPE']);
    expect(problems[3].message).toBe('困难程度 must be one of: 1级、2级、3级');
    expect(codes(check(components, { confirmed: 'yes', materials: 'hukou' }, current))).toEqual(['confirmed:INVALID_TYPE', 'materials:INVALID_TYPE']);
  });

  it('checks date, time and date-time text as form-js writes it, and past dates when the form forbids them', () => {
    const components: FormComponent[] = [
      { type: 'datetime', key: 'due', subtype: 'date', label: '补正截止日期', disallowPassedDates: true },
      { type: 'datetime', key: 'at', subtype: 'time', label: '约谈时间', timeSerializingFormat: 'utc_offset' },
      { type: 'datetime', key: 'visit', subtype: 'datetime', label: '入户核查', timeSerializingFormat: 'no_timezone' },
    ];
    const today = '2027-03-01';
    expect(check(components, { due: '2027-03-01', at: '09:30+08:00', visit: '2027-03-02T14:00' }, {}, today)).toEqual([]);
    const problems = check(components, { due: '2027-02-28', at: '9:30', visit: '2027-02-30T14:00' }, {}, today);
    expect(codes(problems)).toEqual(['due:DATE_IN_PAST', 'at:INVALID_DATE', 'visit:INVALID_DATE']);
    expect(problems[1].message).toBe('约谈时间 must be written as HH:mm+08:00');
  });

  it('reads FEEL limits from the data, increments and numbers sent as text', () => {
    const components: FormComponent[] = [
      { type: 'number', key: 'area', label: '面积', validate: { max: '=maxArea' }, increment: 0.5 },
      { type: 'number', key: 'rent', label: '租金', serializeToString: true, validate: { min: 0 } },
    ];
    expect(check(components, { area: 59.5, rent: '1200.50' }, { maxArea: 60 })).toEqual([]);
    expect(codes(check(components, { area: 60.3, rent: '-1' }, { maxArea: 60 }))).toEqual(['area:ABOVE_MAX', 'area:STEP_MISMATCH', 'rent:BELOW_MIN']);
  });

  it('nests dotted keys and group paths, and names nested fields by their path', () => {
    const components: FormComponent[] = [
      { type: 'textfield', key: 'contact.phone', label: '联系电话', validate: { required: true } },
      { type: 'group', path: 'applicant', components: [{ type: 'textfield', key: 'name', label: '姓名', validate: { required: true } }] },
    ];
    expect(check(components, { contact: { phone: '13912345678' }, applicant: { name: '张三' } })).toEqual([]);
    expect(codes(check(components, {}))).toEqual(['contact.phone:REQUIRED', 'applicant.name:REQUIRED']);
    expect(codes(check(components, { contact: '139', applicant: { name: '张三', extra: 1 } }))).toEqual(['contact:INVALID_TYPE', 'applicant.extra:UNKNOWN_FIELD']);
  });

  it('checks every item of a dynamic list, with conditions on the item itself', () => {
    const components: FormComponent[] = [
      {
        type: 'dynamiclist',
        path: 'members',
        label: '家庭成员',
        components: [
          { type: 'textfield', key: 'name', label: '姓名', validate: { required: true } },
          { type: 'number', key: 'income', label: '月收入', validate: { min: 0 } },
          { type: 'textfield', key: 'school', label: '就读学校', conditional: { hide: '=this.age >= 18' } },
          { type: 'number', key: 'age', label: '年龄' },
        ],
      },
    ];
    expect(check(components, { members: [{ name: '张三', income: 2000, age: 40 }, { name: '张小明', age: 10, school: '实验小学' }] })).toEqual([]);
    const problems = check(components, { members: [{ income: -5, age: 40, school: '大学' }, 'x'] });
    expect(codes(problems)).toEqual(['members[0].name:REQUIRED', 'members[0].income:BELOW_MIN', 'members[0].school:HIDDEN', 'members[1]:INVALID_TYPE']);
    expect(codes(check(components, { members: { name: '张三' } }))).toEqual(['members:INVALID_TYPE']);
  });

  it('compiles one entry schema for a long list and still names the one bad entry', () => {
    const components: FormComponent[] = [
      { type: 'dynamiclist', path: 'members', components: [{ type: 'textfield', key: 'name', label: '姓名', validate: { required: true } }] },
    ];
    const members = Array.from({ length: 500 }, (_, i) => ({ name: `成员${i}` }));
    const { schema } = new SubmissionSchemaBuilder({ current: {} }).build(components, { members });
    expect(Object.keys(schema.definitions as object)).toEqual(['entry0']);
    members[499] = { name: ' ' };
    expect(codes(check(components, { members }))).toEqual(['members[499].name:REQUIRED']);
  });

  it('leaves an expression field\'s computed value alone and ignores presentation components', () => {
    const components: FormComponent[] = [
      { type: 'expression', key: 'total', expression: '=a + b', computeOn: 'change' },
      { type: 'image', source: 'https://anju.example/logo.png' },
      { type: 'number', key: 'a' },
      { type: 'number', key: 'b' },
    ];
    expect(check(components, { total: 3, a: 1, b: 2 })).toEqual([]);
  });
});
