import type { ChecksView, EligibilityJudgement } from '../applications';
import { CHECKS, CHECK_DEPARTMENT_LABELS, CHECK_RESULT_LABELS, CHECK_TYPES, CheckResult, CheckType, Label } from '../connectors';

/**
 * The online comparison of one department, as the joint review (and the street reviewer's form)
 * reads it. Names are masked (张*) and the departments' messages are left out: they quote income,
 * homes, vehicles and 低保 status, which process variables never hold (DOMAIN.md data rules). A
 * reviewer reads them in the case's comparison record (GET /api/applications/{id}/checks).
 */
export interface DepartmentResult {
  department: string;
  departmentLabel: string;
  /** the worst of its checks: ERROR, then MISMATCH, then NO_DATA (a check nobody authorised counts as no data), then MATCH */
  result: CheckResult;
  resultLabel: string;
  findings: string[];
  findingsText: string;
}

const SEVERITY: Record<CheckResult, number> = { MATCH: 0, NO_DATA: 1, MISMATCH: 2, ERROR: 3 };

/** The departments in the order of their checks (公安, 民政, 自然资源, 市场监管, 人社, 税务, 公积金). */
export function departmentsInOrder(): string[] {
  return [...new Set(CHECK_TYPES.map((c) => CHECKS[c].department as string))];
}

export function departmentResults(view: ChecksView & { notAuthorised: { member: Label; check: CheckType }[] }): DepartmentResult[] {
  return departmentsInOrder().map((department) => {
    const calls = view.results.filter((r) => r.department === department);
    const unauthorised = view.notAuthorised.filter((n) => CHECKS[n.check].department === department);
    let result: CheckResult = calls.length ? calls.reduce<CheckResult>((w, c) => (SEVERITY[c.result] > SEVERITY[w] ? c.result : w), 'MATCH') : 'NO_DATA';
    if (unauthorised.length && SEVERITY[result] < SEVERITY.NO_DATA) result = 'NO_DATA';
    const findings = [
      ...calls
        .filter((c) => c.result !== 'MATCH')
        .map((c) => `${c.member['zh-CN']} ${c.checkLabel['zh-CN']}：${c.resultLabel['zh-CN']}（详见数据比对记录）`),
      ...unauthorised.map((n) => `${n.member['zh-CN']} ${CHECKS[n.check].label['zh-CN']}：未授权查询，须人工核实`),
    ];
    if (!findings.length) findings.push('各项比对一致');
    return {
      department,
      departmentLabel: CHECK_DEPARTMENT_LABELS[department as keyof typeof CHECK_DEPARTMENT_LABELS]?.['zh-CN'] ?? department,
      result,
      resultLabel: CHECK_RESULT_LABELS[result]['zh-CN'],
      findings,
      findingsText: findings.join('\n'),
    };
  });
}

export function checkSummaryText(departments: DepartmentResult[]): string {
  return departments.map((d) => `${d.departmentLabel}：${d.resultLabel}${d.result === 'MATCH' ? '' : `\n  ${d.findings.join('\n  ')}`}`).join('\n');
}

export function eligibilityText(j: EligibilityJudgement): string {
  const name = typeof j.standards?.name === 'string' ? j.standards.name : j.decisionKey;
  const head = `${name}（${j.decisionKey} 第${j.decisionVersion}版）：${j.eligible ? '符合' : '不符合'}`;
  return j.eligible ? head : `${head}\n${j.findings.map((f, i) => `${i + 1}. ${f.label}`).join('\n')}`;
}
