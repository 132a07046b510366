/**
 * How the recover corpus (test/support/recover-corpus.ts) drives the diagrams of processes/ to
 * their end: start variables, task completions (their forms' required fields) and what each
 * domain service task answers. The corpus guards engine upgrades, not the domain, so these
 * diagrams run against stubs of their domain handlers (no application behind them); `dmn`,
 * `notify`, `pause clock` and `resume clock` stay the real built-ins.
 */
type Vars = Record<string, unknown>;

const REGION = { regionCode: '510104017', streetCode: '510104017', countyCode: '510104', cityCode: '510100' };
const PERIODS = {
  correctionDays: 15,
  streetReviewDays: 15,
  countyReviewDays: 15,
  cityReviewDays: 7,
  departmentCheckDays: 5,
  departmentReminderDays: 3,
  departmentEscalationDays: 3,
  appealRequestDays: 15,
  appealReviewDays: 15,
  caseDays: 60,
};
const DEPARTMENTS = [
  { department: '民政', departmentLabel: '民政', result: 'MATCH', resultLabel: '一致', findings: ['各项比对一致'], findingsText: '各项比对一致' },
  { department: '公安', departmentLabel: '公安', result: 'MATCH', resultLabel: '一致', findings: ['各项比对一致'], findingsText: '各项比对一致' },
];
const DEPARTMENT_TASK = { departmentDecision: 'consistent', departmentReason: '核实一致' };

export const PROCESS_HINTS: Record<string, { variables?: Vars; tasks?: Record<string, Vars>; messages?: Vars }> = {
  'application.bpmn': {
    variables: {
      applicationId: '00000000-0000-4000-8000-000000000001',
      caseNumber: 'SQ-510104-2027-000001',
      applicationType: 'prh_in_kind',
      typeLabel: '公租房实物配租',
      channel: 'online',
      ...REGION,
      receivedOn: '2027-01-04',
      applicantUserId: null,
      ...PERIODS,
    },
    tasks: {
      UserTask_StreetReview: { streetDecision: 'approve', streetOpinion: '同意' },
      UserTask_CountyReview: { countyDecision: 'approve', countyOpinion: '同意' },
      UserTask_CityReview: { cityDecision: 'approve', cityOpinion: '同意' },
      UserTask_AppealReview: { appealOutcome: 'maintain', appealReason: '维持' },
    },
    messages: { appealFiledOn: '2027-01-05', appealReasonText: '请求复核' },
  },
  'joint-review.bpmn': { variables: { applicationId: '00000000-0000-4000-8000-000000000001', caseNumber: 'SQ-510104-2027-000001', ...REGION, ...PERIODS, departmentResults: DEPARTMENTS } },
  'department-review.bpmn': {
    variables: { applicationId: '00000000-0000-4000-8000-000000000001', department: '民政', onlineResult: 'MISMATCH', onlineResultLabel: '不一致', findingsText: '低保状态不一致', startedOn: '2027-01-04', ...REGION, ...PERIODS },
    tasks: { UserTask_DepartmentCheck: DEPARTMENT_TASK, UserTask_SupervisedCheck: DEPARTMENT_TASK },
  },
  'waiting-list-term.bpmn': {
    variables: {
      entryId: '00000000-0000-4000-8000-000000000003',
      caseNumber: 'SQ-510104-2027-000001',
      regionCode: '510104',
      countyCode: '510104',
      qualifiedOn: '2027-01-04',
      alarmOn: '2029-10-04',
      maxWaitUntil: '2030-01-04',
      alarmAt: '2029-10-04T00:00:00+08:00',
      decideByAt: '2030-01-03T23:59:59.999+08:00',
    },
    tasks: { UserTask_TermAlarm: { alarmOutcome: 'switch_to_subsidy', alarmReason: '轮候将满 3 年，转为发放租赁补贴' } },
    messages: { closedAs: 'allocated' },
  },
  'objection-verification.bpmn': {
    variables: { objectionId: '00000000-0000-4000-8000-000000000002', round: 1, verificationDueAt: '2027-01-18T15:59:59.999Z', ...REGION },
    tasks: { UserTask_VerifyObjection: { verificationOutcome: 'not_upheld', verificationReasons: '异议不成立' } },
  },
};

/** The domain handlers' answers (by handler name): what routing needs, nothing behind it. */
export const PROCESS_HANDLER_RESULTS: Record<string, Vars> = {
  'application.receive': { materialsComplete: true, missingMaterials: [] },
  'application.requestCorrection': { correctionRequestedOn: '2027-01-04' },
  'application.correctionExpired': { refusalReasons: ['逾期未补正'] },
  'application.accept': { acceptedOn: '2027-01-04' },
  'application.runChecks': { departmentResults: DEPARTMENTS, checkSummary: '各部门一致', mismatchCount: 0 },
  'application.recordEligibility': {
    eligibility: { eligible: true, findings: [], standards: null },
    eligibilityDecision: { key: 'housingEligibility', version: 1, decisionDefinitionId: '00000000-0000-4000-8000-000000000004', matchedRules: [] },
    eligibilitySummary: '符合',
  },
  'application.setStatus': { statusChangedOn: '2027-01-04' },
  'application.recordReview': { refusalReasons: [] },
  'application.publish': { publicityEndsAt: '2027-01-13T15:59:59.999Z' },
  'application.objections': { objectionsPending: 0, objectionsUpheld: 0, refusalReasons: [] },
  'application.approve': {},
  'application.refuse': { appealDeadlineAt: '2027-01-25T15:59:59.999Z', refusalText: '1. 不符合条件' },
  'application.withdrawn': {},
  'application.appealDecision': {},
  'jointReview.prepare': { departments: DEPARTMENTS, startedOn: '2027-01-04' },
  'jointReview.recordDepartment': {},
  'jointReview.conclude': { jointReviewText: '各部门一致', discrepancies: 0 },
  'publicity.verifyObjection': {},
  'waitingList.raiseAlarm': { stillWaiting: true, alarmRaisedAt: '2029-10-03T16:00:00.000Z' },
  'waitingList.decideAlarm': {},
};
