/**
 * Mail templates (Handlebars), Chinese first with English beside it. `{{x}}` is HTML-escaped in
 * the HTML part and left as is in the plain-text part; a variable the template uses but the
 * caller did not give is an error (strict mode), never an empty gap in a letter to a citizen.
 * Helpers: `{{date x}}` (a day, e.g. 2026年10月12日 / 12 Oct 2026), `{{datetime x}}` (China time),
 * `{{n @index}}` (1-based numbering). Subjects are one line.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export interface TemplateDefinition {
  description: string;
  /** variables the caller must give */
  required: readonly string[];
  /** variables that may be left out (they render as nothing) */
  optional?: readonly string[];
  /** variables that must be non-empty lists */
  lists?: readonly string[];
  subject: Record<Locale, string>;
  body: Record<Locale, string>;
}

const FOOTER_ZH = '此邮件由安居系统自动发送，请勿直接回复。';
const FOOTER_EN = 'This message was sent automatically by Anju; please do not reply to it.';

const TASK_LINES_ZH = `{{#if businessKey}}
业务编号：{{businessKey}}
{{/if}}
{{#if processName}}
所属流程：{{processName}}
{{/if}}`;
const TASK_LINES_EN = `{{#if businessKey}}
Case: {{businessKey}}
{{/if}}
{{#if processName}}
Process: {{processName}}
{{/if}}`;

export const TEMPLATES: Record<string, TemplateDefinition> = {
  'task.assigned': {
    description: 'a task was assigned to the recipient (claim by someone else, assign, delegate)',
    required: ['taskName'],
    optional: ['businessKey', 'processName', 'dueAt', 'assignedBy'],
    subject: { 'zh-CN': '【安居】新任务：{{taskName}}', en: '[Anju] New task: {{taskName}}' },
    body: {
      'zh-CN': `您好：

{{#if assignedBy}}{{assignedBy}}将任务“{{taskName}}”分派给您。{{else}}任务“{{taskName}}”已分派给您。{{/if}}
${TASK_LINES_ZH}
{{#if dueAt}}
办理期限：{{datetime dueAt}}
{{/if}}

请登录安居系统及时办理。

${FOOTER_ZH}`,
      en: `Hello,

{{#if assignedBy}}{{assignedBy}} assigned the task "{{taskName}}" to you.{{else}}The task "{{taskName}}" was assigned to you.{{/if}}
${TASK_LINES_EN}
{{#if dueAt}}
Due: {{datetime dueAt}}
{{/if}}

Please log in to Anju to work on it.

${FOOTER_EN}`,
    },
  },
  'task.due-soon': {
    description: 'a task is due within one working day',
    required: ['taskName', 'dueAt'],
    optional: ['businessKey', 'processName'],
    subject: { 'zh-CN': '【安居】任务即将到期：{{taskName}}', en: '[Anju] Task due soon: {{taskName}}' },
    body: {
      'zh-CN': `您好：

任务“{{taskName}}”将于 {{datetime dueAt}} 到期，请尽快办理。
${TASK_LINES_ZH}

${FOOTER_ZH}`,
      en: `Hello,

The task "{{taskName}}" is due on {{datetime dueAt}}. Please complete it soon.
${TASK_LINES_EN}

${FOOTER_EN}`,
    },
  },
  'task.overdue': {
    description: 'a task passed its due time (to its assignee or candidates)',
    required: ['taskName', 'dueAt'],
    optional: ['businessKey', 'processName'],
    subject: { 'zh-CN': '【安居】任务已超期：{{taskName}}', en: '[Anju] Task overdue: {{taskName}}' },
    body: {
      'zh-CN': `您好：

任务“{{taskName}}”已于 {{datetime dueAt}} 超过办理期限，请立即办理。
${TASK_LINES_ZH}

${FOOTER_ZH}`,
      en: `Hello,

The task "{{taskName}}" was due on {{datetime dueAt}} and is overdue. Please complete it now.
${TASK_LINES_EN}

${FOOTER_EN}`,
    },
  },
  'task.escalated': {
    description: 'an overdue task was escalated to the supervisor group',
    required: ['taskName', 'dueAt'],
    optional: ['businessKey', 'processName', 'assignee'],
    subject: { 'zh-CN': '【安居】超期任务已上报：{{taskName}}', en: '[Anju] Overdue task escalated: {{taskName}}' },
    body: {
      'zh-CN': `您好：

任务“{{taskName}}”{{#if assignee}}（原办理人：{{assignee}}）{{/if}}已于 {{datetime dueAt}} 超过办理期限，现上报至您所在的组，请督办。
${TASK_LINES_ZH}

${FOOTER_ZH}`,
      en: `Hello,

The task "{{taskName}}"{{#if assignee}} (assigned to {{assignee}}){{/if}} was due on {{datetime dueAt}} and has been escalated to your group for follow-up.
${TASK_LINES_EN}

${FOOTER_EN}`,
    },
  },
  'task.digest': {
    description: "a user's daily list of tasks due soon and overdue",
    required: ['date', 'tasks', 'overdueCount', 'dueSoonCount'],
    optional: ['more'],
    lists: ['tasks'],
    subject: {
      'zh-CN': '【安居】{{date date}} 待办提醒：{{overdueCount}} 件超期，{{dueSoonCount}} 件即将到期',
      en: '[Anju] Tasks for {{date date}}: {{overdueCount}} overdue, {{dueSoonCount}} due soon',
    },
    body: {
      'zh-CN': `您好：

截至 {{date date}}，您有以下待办任务需要关注：

{{#each tasks}}
{{n @index}}. {{#if overdue}}【已超期】{{else}}【即将到期】{{/if}}{{name}}{{#if businessKey}}（{{businessKey}}）{{/if}}，期限 {{datetime dueAt}}
{{/each}}
{{#if more}}
另有 {{more}} 件未列出。
{{/if}}

请登录安居系统办理。

${FOOTER_ZH}`,
      en: `Hello,

As of {{date date}}, these tasks need your attention:

{{#each tasks}}
{{n @index}}. {{#if overdue}}[overdue]{{else}}[due soon]{{/if}} {{name}}{{#if businessKey}} ({{businessKey}}){{/if}}, due {{datetime dueAt}}
{{/each}}
{{#if more}}
{{more}} more are not listed.
{{/if}}

Please log in to Anju to work on them.

${FOOTER_EN}`,
    },
  },
  'applicant.accepted': {
    description: '受理通知: the application was accepted for review',
    required: ['caseNo', 'acceptedAt'],
    optional: ['applicantName', 'office'],
    subject: { 'zh-CN': '【安居】您的住房保障申请已受理（{{caseNo}}）', en: '[Anju] Your housing application has been accepted ({{caseNo}})' },
    body: {
      'zh-CN': `{{#if applicantName}}{{applicantName}}{{else}}申请人{{/if}}：

您于 {{date acceptedAt}} 提交的住房保障申请（受理编号 {{caseNo}}）{{#if office}}已由{{office}}{{else}}已{{/if}}受理，现进入审核程序。审核进展将另行通知。

${FOOTER_ZH}`,
      en: `Dear {{#if applicantName}}{{applicantName}}{{else}}applicant{{/if}},

Your housing application of {{date acceptedAt}} (case {{caseNo}}) has been accepted{{#if office}} by {{office}}{{/if}} and is now under review. We will tell you how it proceeds.

${FOOTER_EN}`,
    },
  },
  'applicant.correction': {
    description: '补正通知: everything missing from the application, in one notice',
    required: ['caseNo', 'materials', 'deadline'],
    optional: ['applicantName', 'office'],
    lists: ['materials'],
    subject: { 'zh-CN': '【安居】申请材料补正通知（{{caseNo}}）', en: '[Anju] Please complete your application ({{caseNo}})' },
    body: {
      'zh-CN': `{{#if applicantName}}{{applicantName}}{{else}}申请人{{/if}}：

经审查，您的住房保障申请（编号 {{caseNo}}）材料不齐全。现一次性告知需要补正的全部内容：

{{#each materials}}
{{n @index}}. {{this}}
{{/each}}

请于 {{date deadline}} 前{{#if office}}向{{office}}{{/if}}补齐上述材料。补正期间不计入审核期限。

${FOOTER_ZH}`,
      en: `Dear {{#if applicantName}}{{applicantName}}{{else}}applicant{{/if}},

Your housing application (case {{caseNo}}) is incomplete. This is everything that is missing:

{{#each materials}}
{{n @index}}. {{this}}
{{/each}}

Please provide all of it{{#if office}} to {{office}}{{/if}} by {{date deadline}}. The review period does not run while materials are missing.

${FOOTER_EN}`,
    },
  },
  'applicant.publicity': {
    description: '公示: the public notice of the application starts, with its period',
    required: ['caseNo', 'startDate', 'endDate'],
    optional: ['applicantName', 'place', 'contact'],
    subject: { 'zh-CN': '【安居】住房保障申请公示通知（{{caseNo}}）', en: '[Anju] Public notice of your application ({{caseNo}})' },
    body: {
      'zh-CN': `{{#if applicantName}}{{applicantName}}{{else}}申请人{{/if}}：

您的住房保障申请（编号 {{caseNo}}）已通过审核，现依规予以公示。公示期自 {{date startDate}} 起至 {{date endDate}} 止{{#if place}}，公示地点：{{place}}{{/if}}。
公示期间，任何单位和个人均可提出异议{{#if contact}}，联系方式：{{contact}}{{/if}}。公示期满无异议或异议不成立的，进入下一审核环节。

${FOOTER_ZH}`,
      en: `Dear {{#if applicantName}}{{applicantName}}{{else}}applicant{{/if}},

Your housing application (case {{caseNo}}) has passed review and is now publicly displayed from {{date startDate}} to {{date endDate}}{{#if place}} at {{place}}{{/if}}.
Anyone may object during this period{{#if contact}} (contact: {{contact}}){{/if}}. If no objection is upheld, the review continues.

${FOOTER_EN}`,
    },
  },
  'applicant.decision': {
    description: 'the decision on the application, with its reasons and the appeal deadline',
    required: ['caseNo', 'approved', 'reasons', 'appealDeadline'],
    optional: ['applicantName', 'authority', 'decisionDate'],
    lists: ['reasons'],
    subject: {
      'zh-CN': '【安居】住房保障申请{{#if approved}}审核通过{{else}}未予通过{{/if}}决定（{{caseNo}}）',
      en: '[Anju] Decision on your housing application ({{caseNo}}): {{#if approved}}approved{{else}}not approved{{/if}}',
    },
    body: {
      'zh-CN': `{{#if applicantName}}{{applicantName}}{{else}}申请人{{/if}}：

{{#if authority}}{{authority}}{{else}}我单位{{/if}}{{#if decisionDate}}于 {{date decisionDate}} {{/if}}对您的住房保障申请（编号 {{caseNo}}）作出如下决定：{{#if approved}}审核通过{{else}}不予通过{{/if}}。
理由如下：

{{#each reasons}}
{{n @index}}. {{this}}
{{/each}}

如对本决定不服，可于 {{date appealDeadline}} 前依法申请行政复议或者提起行政诉讼。

${FOOTER_ZH}`,
      en: `Dear {{#if applicantName}}{{applicantName}}{{else}}applicant{{/if}},

{{#if authority}}{{authority}}{{else}}We{{/if}} decided{{#if decisionDate}} on {{date decisionDate}}{{/if}} that your housing application (case {{caseNo}}) is {{#if approved}}approved{{else}}not approved{{/if}}, for these reasons:

{{#each reasons}}
{{n @index}}. {{this}}
{{/each}}

If you disagree with this decision, you may apply for administrative reconsideration or bring an administrative lawsuit by {{date appealDeadline}}.

${FOOTER_EN}`,
    },
  },
  'calendar.year-missing': {
    description: "weekly reminder to calendar administrators: next year's working-day calendar is not entered",
    required: ['years'],
    lists: ['years'],
    subject: {
      'zh-CN': '【安居】请录入{{#each years}}{{#if @index}}、{{/if}}{{this}}{{/each}}年工作日安排',
      en: '[Anju] Please enter the working-day calendar for {{#each years}}{{#if @index}}, {{/if}}{{this}}{{/each}}',
    },
    body: {
      'zh-CN': `您好：

系统尚无{{#each years}}{{#if @index}}、{{/if}}{{this}}{{/each}}年经确认的国务院节假日安排。在录入并确认之前，涉及该年度的法定期限只按周末计算，并标记为“暂定”。

请在国务院办公厅发布通知后，于安居系统中录入该年度安排（PUT /api/calendar/years/{年份}），并由另一名管理员确认。录入前本提醒每周发送一次。

${FOOTER_ZH}`,
      en: `Hello,

Anju has no confirmed State Council holiday arrangement for {{#each years}}{{#if @index}}, {{/if}}{{this}}{{/each}}. Until it is entered and confirmed, deadlines in that year count weekends only and are marked provisional.

Please enter the arrangement once the State Council publishes it (PUT /api/calendar/years/{year}) and have another administrator confirm it. This reminder comes every week until then.

${FOOTER_EN}`,
    },
  },
};
