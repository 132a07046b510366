import { DomainError } from '../common';
import { NotifyErrorCode } from './notify.errors';
import { TemplateRenderer } from './template-renderer';
import { LOCALES, TEMPLATES } from './templates';

const r = new TemplateRenderer();

function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

/** The smallest variables each template accepts. */
const SAMPLE: Record<string, Record<string, unknown>> = {
  'task.assigned': { taskName: '区县审核' },
  'task.due-soon': { taskName: '区县审核', dueAt: '2026-10-12T15:59:59.999Z' },
  'task.overdue': { taskName: '区县审核', dueAt: '2026-10-12T15:59:59.999Z' },
  'task.escalated': { taskName: '区县审核', dueAt: '2026-10-12T15:59:59.999Z' },
  'task.digest': { date: '2026-10-12', tasks: [{ name: '区县审核', dueAt: '2026-10-12T15:59:59.999Z', overdue: true }], overdueCount: 1, dueSoonCount: 0 },
  'applicant.accepted': { caseNo: 'SQ-2026-0001', acceptedAt: '2026-09-24' },
  'applicant.correction': { caseNo: 'SQ-2026-0001', materials: ['户口簿'], deadline: '2026-10-15' },
  'applicant.publicity': { caseNo: 'SQ-2026-0001', startDate: '2026-10-08', endDate: '2026-10-16' },
  'applicant.decision': { caseNo: 'SQ-2026-0001', approved: false, reasons: ['家庭人均收入超过标准'], appealDeadline: '2026-12-20' },
  'calendar.year-missing': { years: [2027] },
};

describe('TemplateRenderer', () => {
  it.each(Object.keys(TEMPLATES).flatMap((name) => LOCALES.map((locale) => [name, locale] as const)))('renders %s in %s with only its required variables', (name, locale) => {
    const mail = r.render(name, locale, SAMPLE[name]);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.text).not.toMatch(/\{\{|\n{3,}/);
    expect(mail.html).toContain(`<html lang="${locale}">`);
    expect(mail.text).toContain(locale === 'zh-CN' ? '此邮件由安居系统自动发送' : 'sent automatically by Anju');
  });

  it('writes the 补正 notice with every missing item numbered, and dates in Chinese', () => {
    const mail = r.render('applicant.correction', 'zh-CN', {
      caseNo: 'SQ-2026-0042',
      applicantName: '张三',
      materials: ['户口簿复印件', '近 12 个月收入证明', '现住房租赁合同'],
      deadline: '2026-10-15',
      office: '锦官驿街道办事处',
    });
    expect(mail.subject).toBe('【安居】申请材料补正通知（SQ-2026-0042）');
    expect(mail.text).toContain('1. 户口簿复印件\n2. 近 12 个月收入证明\n3. 现住房租赁合同\n');
    expect(mail.text).toContain('请于 2026年10月15日 前向锦官驿街道办事处补齐上述材料');
    expect(mail.text.startsWith('张三：')).toBe(true);
  });

  it('reads an instant in China time and a calendar day as that day', () => {
    const zh = r.render('task.due-soon', 'zh-CN', { taskName: '审核', dueAt: '2026-10-12T15:59:59.999Z' });
    expect(zh.text).toContain('2026年10月12日 23:59');
    const en = r.render('task.due-soon', 'en', { taskName: 'Review', dueAt: '2026-10-12T16:00:00Z' });
    expect(en.text).toContain('13 Oct 2026, 00:00 (China time)');
    expect(r.render('applicant.accepted', 'en', { caseNo: 'X', acceptedAt: '2026-01-01' }).text).toContain('1 Jan 2026');
  });

  it('escapes variables in the HTML part only', () => {
    const mail = r.render('task.assigned', 'zh-CN', { taskName: '<script>alert(1)</script> & 审核' });
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; 审核');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('<script>alert(1)</script> & 审核');
  });

  it('refuses an unknown template, a missing variable, an empty list and a bad date with 422s naming them', () => {
    const unknown = failure(() => r.render('task.nope', 'zh-CN', {}));
    expect(unknown).toMatchObject({ kind: 'UNPROCESSABLE', code: NotifyErrorCode.TemplateUnknown });
    expect(unknown.message).toContain('task.assigned');
    const missing = failure(() => r.render('applicant.decision', 'zh-CN', { caseNo: 'X', approved: true }));
    expect(missing).toMatchObject({ kind: 'UNPROCESSABLE', code: NotifyErrorCode.VariableMissing, details: { variables: ['reasons', 'appealDeadline'] } });
    const empty = failure(() => r.render('applicant.correction', 'zh-CN', { caseNo: 'X', materials: [], deadline: '2026-10-15' }));
    expect(empty).toMatchObject({ code: NotifyErrorCode.VariableInvalid, details: { variable: 'materials' } });
    const inItem = failure(() => r.render('task.digest', 'zh-CN', { ...SAMPLE['task.digest'], tasks: [{ dueAt: '2026-10-12' }] }));
    expect(inItem).toMatchObject({ code: NotifyErrorCode.VariableMissing, details: { variables: ['name'] } });
    expect(failure(() => r.render('task.overdue', 'zh-CN', { taskName: 'x', dueAt: 'next week' }))).toMatchObject({ code: NotifyErrorCode.VariableInvalid });
    expect(failure(() => r.locale('fr'))).toMatchObject({ code: NotifyErrorCode.LocaleUnknown });
    expect(failure(() => r.definition('constructor'))).toMatchObject({ code: NotifyErrorCode.TemplateUnknown });
  });
});
