import { ConflictError } from '../common';
import { CONSENT_PROBLEM_TEXT, ConsentProblem } from './consent';
import { CHECKS, CheckType, Label } from './department-checks';

export enum ConnectorErrorCode {
  ConsentMissing = 'CONSENT_MISSING',
}

/** One member and check that no valid authorisation covers. */
export interface MissingConsent {
  memberId: string;
  /** e.g. 成员2（配偶，李*） / member 2 (spouse, 李*) */
  member: Label;
  check: CheckType;
  problem: ConsentProblem;
  /** the authorisation that would have covered it, when one exists (expired, revoked, …) */
  authorisationId: string | null;
  expiresAt: string | null;
}

/** 409: nothing was asked of any department. The message names the first member and check; details list them all. */
export const consentMissing = (missing: MissingConsent[]) => {
  const first = missing[0];
  const check = CHECKS[first.check].label;
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
  return new ConflictError(
    ConnectorErrorCode.ConsentMissing,
    `No department was asked: ${first.member.en} ${CONSENT_PROBLEM_TEXT[first.problem].en}: ${first.check} (${check.en})${more}`,
    {
      messageZh: `未发起任何查询：${first.member['zh-CN']}${CONSENT_PROBLEM_TEXT[first.problem]['zh-CN']}：${check['zh-CN']}`,
      missing: missing.map((m) => ({ ...m, member: m.member['zh-CN'], memberEn: m.member.en })),
    },
  );
};
