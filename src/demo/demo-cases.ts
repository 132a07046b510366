import type { ApplicationStatus, ApplicationType, Channel, MaterialKind } from '../applications';

/**
 * The 20 demo applications `npm start` files on an empty embedded database (ANJU_DEMO_DATA), each
 * walked by the demo users through the real services to a different stage, so that a newcomer
 * finds work in every queue. Households are the demo ones of src/connectors/simulated/simulated-records.ts.
 *
 * Times are working days before today on 锦江区's calendar (`day: 3` = the third working day
 * before today) at a time of day in China; the periods of the process (公示 7, 部门核查 5, 街道 15,
 * 区县 15, 市级 7, 补正 15 and 复核 15 working days) then put each case where its `stage` says
 * when the clock is back at the real time: a stage that must still be running started less than
 * its period ago; a stage that must be over ended at least a day ago.
 */
export const DEMO_STAGES = ['correction', 'street_review', 'publicity_first', 'joint_review', 'county_review', 'city_review', 'publicity_second', 'approved', 'refused', 'withdrawn'] as const;
export type DemoStage = (typeof DEMO_STAGES)[number];

/** The application status each stage leaves (the joint review runs while the case is in county_review). */
export const DEMO_STAGE_STATUS: Readonly<Record<DemoStage, ApplicationStatus>> = {
  correction: 'correction_requested',
  street_review: 'street_review',
  publicity_first: 'publicity_first',
  joint_review: 'county_review',
  county_review: 'county_review',
  city_review: 'city_review',
  publicity_second: 'publicity_second',
  approved: 'approved',
  refused: 'rejected',
  withdrawn: 'withdrawn',
};

export const DEMO_STAGE_LABELS: Readonly<Record<DemoStage, string>> = {
  correction: '补正',
  street_review: '街道初审',
  publicity_first: '第一次公示',
  joint_review: '部门联合审查',
  county_review: '区县审核',
  city_review: '市级复核',
  publicity_second: '第二次公示',
  approved: '准予保障',
  refused: '不予保障（复核期内）',
  withdrawn: '已撤回',
};

export const TASK = {
  street: '社区入户调查及街道初审',
  county: '区县审核',
  city: '市级复核',
  department: '部门核查',
  objection: '异议核查',
} as const;
export type DemoTaskName = (typeof TASK)[keyof typeof TASK];

interface When {
  /** working days before today (1 = the last working day before today) */
  day: number;
  /** HH:MM in China */
  at: string;
}

export type DemoStep = When &
  (
    | { do: 'submit' }
    | { do: 'claim'; task: DemoTaskName; as: string }
    | { do: 'complete'; task: DemoTaskName; as: string; variables: Record<string, unknown> }
    | { do: 'object'; content: string }
    | { do: 'withdraw'; as: string; reason: string }
  );

export interface DemoCase {
  /** a demo household of SIMULATED_HOUSEHOLDS */
  household: string;
  /** the members who apply (indexes into the household; default all) */
  members?: number[];
  type: ApplicationType;
  channel: Channel;
  /** who files it: window staff, or the applicant's own account online */
  filer: string;
  regionCode: string;
  targetRegionCode?: string;
  stage: DemoStage;
  /** left out of the submission: the 补正 notice names them */
  withoutMaterials?: MaterialKind[];
  address: string;
  phone: string;
  steps: DemoStep[];
}

const OPINION = {
  street: '经社区入户调查，家庭人口、住房和收入情况与申报一致，同意上报',
  county: '经审核，符合住房保障准入条件，同意报市级复核',
  city: '经复核，同意予以保障',
};

const submit = (day: number, at = '10:00'): DemoStep => ({ day, at, do: 'submit' });
const street = (day: number, at = '10:30'): DemoStep => ({ day, at, do: 'complete', task: TASK.street, as: 'jgy_street', variables: { streetDecision: 'approve', streetOpinion: OPINION.street } });
const county = (day: number, at = '11:00'): DemoStep => ({ day, at, do: 'complete', task: TASK.county, as: 'jj_county', variables: { countyDecision: 'approve', countyOpinion: OPINION.county } });
const city = (day: number, at = '11:30'): DemoStep => ({ day, at, do: 'complete', task: TASK.city, as: 'cd_city', variables: { cityDecision: 'approve', cityOpinion: OPINION.city } });

const JJ = '510104017';
const addr = (n: number) => `四川省成都市锦江区锦官驿街道演示路 ${n} 号`;

/**
 * The plan, oldest first. 2 waiting for 补正, 4 at the street (one claimed by jgy_street, one a
 * remote 成德眉资 application filed in Deyang), 2 in 公示 #1 (one with an objection whose 异议核查
 * waits in jgy_street's queue), 3 in the joint review with a 民政 部门核查 waiting for jj_mz_checker,
 * 3 at the county (jj_county; one after jj_mz_checker confirmed a 民政 mismatch), 2 at the city
 * (cd_city), 1 in 公示 #2, 1 approved onto the waiting list (张三, applicant_zhang), 1 refused and
 * still inside its 复核 window, 1 withdrawn.
 */
export const DEMO_CASES: readonly DemoCase[] = [
  {
    // 张三 alone, as in the README (his wife and son have no records in every department)
    household: 'zhang', members: [0], type: 'prh_in_kind', channel: 'online', filer: 'applicant_zhang', regionCode: JJ, stage: 'approved',
    address: addr(1), phone: '13912340001',
    steps: [submit(45), street(42), county(33), city(31)],
  },
  {
    household: 'demo_song', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'publicity_second',
    address: addr(15), phone: '13912340015',
    steps: [submit(24), street(20), county(9), city(4)],
  },
  {
    household: 'demo_xie', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'city_review',
    address: addr(14), phone: '13912340014',
    steps: [submit(23), street(18), county(5)],
  },
  {
    household: 'demo_han', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'refused',
    address: addr(17), phone: '13912340017',
    steps: [
      submit(22),
      street(19),
      {
        day: 5, at: '14:00', do: 'complete', task: TASK.county, as: 'jj_county',
        variables: { countyDecision: 'reject', countyOpinion: '家庭人均月收入超过准入标准', countyRefusalReason: '家庭人均月收入3400元，超过成都市公租房准入标准（3000元）' },
      },
    ],
  },
  {
    household: 'demo_liang', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'city_review',
    address: addr(13), phone: '13912340013',
    steps: [submit(21), street(17), county(3)],
  },
  {
    household: 'demo_zheng', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'county_review',
    address: addr(12), phone: '13912340012',
    steps: [
      submit(17),
      street(15),
      {
        day: 5, at: '15:00', do: 'complete', task: TASK.department, as: 'jj_mz_checker',
        variables: { departmentDecision: 'consistent', departmentReason: '经核实，其低收入家庭认定已到期未续，申报情况属实' },
      },
    ],
  },
  {
    household: 'demo_lin', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'county_review',
    address: addr(10), phone: '13912340010',
    steps: [submit(16), street(14)],
  },
  {
    household: 'demo_luo', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'county_review',
    address: addr(11), phone: '13912340011',
    steps: [submit(15), street(13)],
  },
  {
    household: 'demo_guo', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'joint_review',
    address: addr(7), phone: '13912340007',
    steps: [submit(13), street(10)],
  },
  {
    household: 'demo_he', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'joint_review',
    address: addr(8), phone: '13912340008',
    steps: [submit(12), street(9, '10:30')],
  },
  {
    household: 'demo_gao', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'joint_review',
    address: addr(9), phone: '13912340009',
    steps: [submit(12, '10:10'), street(9, '10:40')],
  },
  {
    household: 'demo_cao', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'withdrawn',
    address: addr(18), phone: '13912340018',
    steps: [submit(9), { day: 7, at: '16:00', do: 'withdraw', as: 'jj_window', reason: '申请人已自行租到合适住房' }],
  },
  {
    household: 'demo_ma', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'publicity_first',
    address: addr(5), phone: '13912340005',
    steps: [submit(7), street(4)],
  },
  {
    household: 'demo_hu', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'publicity_first',
    address: addr(6), phone: '13912340006',
    steps: [submit(6), street(3), { day: 2, at: '15:00', do: 'object', content: '该户实际另有住房出租，请核查' }],
  },
  {
    household: 'demo_xu', type: 'affordable_rental', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'street_review',
    address: addr(4), phone: '13912340004',
    steps: [submit(5), { day: 3, at: '09:30', do: 'claim', task: TASK.street, as: 'jgy_street' }],
  },
  {
    household: 'demo_wu', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'street_review',
    address: addr(3), phone: '13912340003',
    steps: [submit(4)],
  },
  {
    household: 'demo_feng', type: 'prh_rental_subsidy', channel: 'remote', filer: 'dy_window', regionCode: '510603', targetRegionCode: JJ, stage: 'street_review',
    address: '四川省德阳市旌阳区演示街 19 号', phone: '13912340019',
    steps: [submit(3, '11:00')],
  },
  {
    household: 'demo_liu', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'correction',
    withoutMaterials: ['household_register', 'income_statement'], address: addr(2), phone: '13912340002',
    steps: [submit(3, '14:00')],
  },
  {
    household: 'demo_yang', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'street_review',
    address: addr(20), phone: '13912340020',
    steps: [submit(2)],
  },
  {
    household: 'demo_tang', type: 'prh_in_kind', channel: 'window', filer: 'jj_window', regionCode: JJ, stage: 'correction',
    withoutMaterials: ['commitment_letter'], address: addr(16), phone: '13912340016',
    steps: [submit(1)],
  },
];
