/**
 * What is wrong with one submitted form field, in words a caseworker reads: each problem carries
 * a stable code, the field's data path, its label from the form, and the message in English and
 * in Chinese (the console shows `messageZh`).
 */
export enum FormFieldErrorCode {
  Required = 'REQUIRED',
  InvalidType = 'INVALID_TYPE',
  NotAnOption = 'NOT_AN_OPTION',
  DuplicateOption = 'DUPLICATE_OPTION',
  BelowMin = 'BELOW_MIN',
  AboveMax = 'ABOVE_MAX',
  TooShort = 'TOO_SHORT',
  TooLong = 'TOO_LONG',
  PatternMismatch = 'PATTERN_MISMATCH',
  InvalidEmail = 'INVALID_EMAIL',
  InvalidPhone = 'INVALID_PHONE',
  InvalidDate = 'INVALID_DATE',
  DateInPast = 'DATE_IN_PAST',
  TooManyDecimals = 'TOO_MANY_DECIMALS',
  StepMismatch = 'STEP_MISMATCH',
  ReadOnly = 'READONLY',
  Disabled = 'DISABLED',
  Hidden = 'HIDDEN',
  UnknownField = 'UNKNOWN_FIELD',
  Invalid = 'INVALID_VALUE',
}

export interface FormFieldProblem {
  /** data path of the field, e.g. `opinion`, `applicant.phone`, `members[1].name` */
  field: string;
  code: FormFieldErrorCode;
  message: string;
  messageZh: string;
  /** the field's label in the form, when it has one */
  label?: string;
}

/** Facts a message may use: the limit, the allowed options, the author's own pattern message. */
export interface MessageFacts {
  limit?: number | string;
  options?: string[];
  expected?: string;
  patternMessage?: string;
}

const EXPECTED_EN: Record<string, string> = {
  text: 'text', number: 'a number', boolean: 'true or false', option: 'one of the options', options: 'a list of options', list: 'a list', object: 'an object', datetime: 'date or time text',
};
const EXPECTED_ZH: Record<string, string> = { text: '文本', number: '数字', boolean: '是/否', option: '选项之一', options: '选项列表', list: '列表', object: '对象', datetime: '日期时间文本' };

export function describeProblem(code: FormFieldErrorCode, name: string, facts: MessageFacts): { message: string; messageZh: string } {
  const f = facts;
  const opts = (f.options ?? []).slice(0, 10).join('、');
  switch (code) {
    case FormFieldErrorCode.Required:
      return { message: `${name} is required`, messageZh: `请填写${name}` };
    case FormFieldErrorCode.InvalidType:
      return { message: `${name} must be ${EXPECTED_EN[f.expected ?? ''] ?? 'a valid value'}`, messageZh: `${name}应为${EXPECTED_ZH[f.expected ?? ''] ?? '有效值'}` };
    case FormFieldErrorCode.NotAnOption:
      return { message: `${name} must be one of: ${opts}`, messageZh: `${name}只能是以下之一：${opts}` };
    case FormFieldErrorCode.DuplicateOption:
      return { message: `${name} lists an option twice`, messageZh: `${name}中有重复的选项` };
    case FormFieldErrorCode.BelowMin:
      return { message: `${name} must be at least ${f.limit}`, messageZh: `${name}不能小于${f.limit}` };
    case FormFieldErrorCode.AboveMax:
      return { message: `${name} must be at most ${f.limit}`, messageZh: `${name}不能大于${f.limit}` };
    case FormFieldErrorCode.TooShort:
      return { message: `${name} must have at least ${f.limit} characters`, messageZh: `${name}至少需要${f.limit}个字` };
    case FormFieldErrorCode.TooLong:
      return { message: `${name} must have at most ${f.limit} characters`, messageZh: `${name}最多${f.limit}个字` };
    case FormFieldErrorCode.PatternMismatch:
      return { message: f.patternMessage ?? `${name} must match the pattern ${f.limit}`, messageZh: f.patternMessage ?? `${name}的格式不正确` };
    case FormFieldErrorCode.InvalidEmail:
      return { message: `${name} must be an email address`, messageZh: `${name}不是有效的电子邮箱地址` };
    case FormFieldErrorCode.InvalidPhone:
      return { message: `${name} must be a phone number (mobile 13912345678, landline 028-12345678 or international +8613912345678)`, messageZh: `${name}不是有效的电话号码` };
    case FormFieldErrorCode.InvalidDate:
      return { message: `${name} must be written as ${f.expected}`, messageZh: `${name}的格式应为 ${f.expected}` };
    case FormFieldErrorCode.DateInPast:
      return { message: `${name} may not be before ${f.limit}`, messageZh: `${name}不能早于${f.limit}` };
    case FormFieldErrorCode.TooManyDecimals:
      return f.limit === 0
        ? { message: `${name} must be a whole number`, messageZh: `${name}必须是整数` }
        : { message: `${name} may have at most ${f.limit} decimal places`, messageZh: `${name}最多保留${f.limit}位小数` };
    case FormFieldErrorCode.StepMismatch:
      return { message: `${name} must be a multiple of ${f.limit}`, messageZh: `${name}必须是${f.limit}的整数倍` };
    case FormFieldErrorCode.ReadOnly:
      return { message: `${name} is read-only on this form and cannot be changed`, messageZh: `${name}在此表单中为只读，不能修改` };
    case FormFieldErrorCode.Disabled:
      return { message: `${name} is disabled on this form and cannot be changed`, messageZh: `${name}在此表单中已禁用，不能修改` };
    case FormFieldErrorCode.Hidden:
      return { message: `${name} is hidden on this form for the data given and must be left empty`, messageZh: `${name}在当前情况下不显示，不应填写` };
    case FormFieldErrorCode.UnknownField:
      return { message: `${name} is not a field of this form`, messageZh: `${name}不是此表单的字段` };
    default:
      return { message: `${name} is not valid`, messageZh: `${name}的值无效` };
  }
}
