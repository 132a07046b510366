import { idNumberProblems } from '../../identity';
import { Category, GuaranteeForm, HousingType, Layout, Relation, UnitStatus } from '../housing-codes';

/**
 * The demo two lists: Chengdu 武侯区 and Deyang 旌阳区 (where the demo users cd_city, dy_window and
 * cdmz_allocation can see them), 4 projects with 50 units, 200 households with members and about
 * 40 tenancies, and four deliberate reconciliation findings. Fictitious people: names drawn from
 * common surnames and given names, ID numbers that only satisfy GB 11643's check digit, phones
 * from a 139 block. Deterministic (a seeded generator), so every demo shows the same data.
 */
export interface DemoProject {
  code: string;
  name: string;
  regionCode: string;
  address: string;
  operatorName: string;
  type: HousingType;
  buildings: { number: string; floors: number; units: number }[];
}

export const DEMO_PROJECTS: DemoProject[] = [
  {
    code: 'WH-CQ',
    name: '武侯区簇桥公租房小区',
    regionCode: '510107011',
    address: '成都市武侯区簇桥街道锦城大道南段 88 号',
    operatorName: '成都市武侯区住房保障运营中心',
    type: 'prh_government',
    buildings: [
      { number: '1栋', floors: 18, units: 10 },
      { number: '2栋', floors: 6, units: 8 },
    ],
  },
  {
    code: 'WH-JH',
    name: '武侯区金花桥保障性租赁住房',
    regionCode: '510107013',
    address: '成都市武侯区金花桥街道金兴北路 16 号',
    operatorName: '成都安居租赁住房有限公司',
    type: 'arh',
    buildings: [{ number: 'A座', floors: 24, units: 12 }],
  },
  {
    code: 'JY-TY',
    name: '旌阳区天元公租房小区',
    regionCode: '510603010',
    address: '德阳市旌阳区天元街道长江西路 210 号',
    operatorName: '德阳市旌阳区城市建设投资有限公司',
    type: 'prh_enterprise',
    buildings: [
      { number: '3栋', floors: 11, units: 8 },
      { number: '5栋', floors: 6, units: 6 },
    ],
  },
  {
    code: 'JY-DH',
    name: '旌阳区东湖共有产权住房',
    regionCode: '510603009',
    address: '德阳市旌阳区东湖街道岷江东路 35 号',
    operatorName: '德阳市住房保障服务中心',
    type: 'shared_ownership',
    buildings: [{ number: '1栋', floors: 17, units: 6 }],
  },
];

export interface DemoUnit {
  project: string;
  building: string;
  floor: number;
  roomNo: string;
  type: HousingType;
  layout: Layout;
  buildingArea: number;
  usableArea: number;
  hasElevator: boolean;
  accessible: boolean;
  assetNo: string;
  regionCode: string;
  status: UnitStatus;
}

export interface DemoMember {
  relation: Relation;
  name: string;
  idNumber: string;
  phone: string | null;
}

export interface DemoHousehold {
  regionCode: string;
  category: Category;
  guaranteeForm: GuaranteeForm;
  subsidyMonthlyAmount: number | null;
  members: DemoMember[];
}

/** mulberry32: a small seeded generator, so the demo is the same every time. */
function generator(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

export function demoUnits(): DemoUnit[] {
  const g = generator(2025);
  const units: DemoUnit[] = [];
  for (const p of DEMO_PROJECTS) {
    let n = 0;
    for (const b of p.buildings) {
      for (let i = 0; i < b.units; i++) {
        n++;
        const floor = 1 + Math.floor((i * b.floors) / b.units);
        const layout: Layout = p.type === 'shared_ownership' ? g.pick(['two_bedroom', 'three_bedroom'] as const) : p.type === 'arh' ? g.pick(['studio', 'one_bedroom'] as const) : g.pick(['one_bedroom', 'two_bedroom'] as const);
        const base = { studio: 32, one_bedroom: 45, two_bedroom: 58, three_bedroom: 88, four_bedroom: 110 }[layout];
        const buildingArea = base + g.int(0, 900) / 100;
        units.push({
          project: p.code,
          building: b.number,
          floor,
          roomNo: `${floor}${String((i % 4) + 1).padStart(2, '0')}`,
          type: p.type,
          layout,
          buildingArea,
          usableArea: Math.round(buildingArea * 78) / 100,
          hasElevator: b.floors > 6,
          accessible: floor === 1,
          assetNo: `${p.code}-${String(n).padStart(4, '0')}`,
          regionCode: p.regionCode,
          status: 'vacant',
        });
      }
    }
  }
  return units;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严'.split('');
const GIVEN = (
  '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 华 平 刚 桂英 玉兰 建华 志强 建国 婷 雪 琳 浩 宇 欣怡 子涵 梓萱 一诺 俊杰 雨桐 思远 ' +
  '德明 国华 秀兰 淑芬 红梅 小燕 文博 晓东 春花 永福 丽萍 海燕 志刚 建军 燕 霞 鑫 佳 颖 倩 斌 鹏 晨 博 帆'
).split(' ');
const STREETS: Record<string, string[]> = {
  '510107': ['510107001', '510107005', '510107010', '510107011', '510107013', '510107063'],
  '510603': ['510603001', '510603004', '510603009', '510603010'],
};

/** A fictitious ID number of the county, born on that day, with a valid check character and never used before. */
function idNumber(county: string, birth: string, male: boolean, g: ReturnType<typeof generator>, used: Set<string>): string {
  for (;;) {
    let seq = g.int(10, 499) * 2;
    if (male) seq -= 1;
    const first17 = `${county}${birth}${String(seq).padStart(3, '0')}`;
    const id = [...'0123456789X'].map((c) => first17 + c).find((candidate) => idNumberProblems(candidate).length === 0)!;
    if (!used.has(id)) return used.add(id), id;
  }
}

const ymd = (y: number, g: ReturnType<typeof generator>) => `${y}${String(g.int(1, 12)).padStart(2, '0')}${String(g.int(1, 28)).padStart(2, '0')}`;

/** 130 households in 武侯区 and 70 in 旌阳区, with 1 to 4 members each. */
export function demoHouseholds(year: number): DemoHousehold[] {
  const g = generator(7);
  const used = new Set<string>();
  let phone = 13900001000;
  const out: DemoHousehold[] = [];
  for (let i = 0; i < 200; i++) {
    const county = i < 130 ? '510107' : '510603';
    const roll = g.next();
    const guaranteeForm: GuaranteeForm = roll < 0.4 ? 'in_kind' : roll < 0.75 ? 'rental_subsidy' : 'arh';
    const category: Category =
      guaranteeForm === 'arh' ? 'arh_new_citizen' : g.pick(['dibao', 'low_income', 'low_income', 'lower_middle_income', 'lower_middle_income', 'new_employee', 'migrant_worker', 'special_care', 'extreme_poverty'] as const);
    const surname = g.pick(SURNAMES);
    const applicantMale = g.next() < 0.55;
    const size = category === 'extreme_poverty' ? 1 : g.int(1, 4);
    const applicantYear = year - g.int(category === 'arh_new_citizen' ? 22 : 28, category === 'arh_new_citizen' ? 35 : 70);
    const members: DemoMember[] = [
      { relation: 'applicant', name: surname + g.pick(GIVEN), idNumber: idNumber(county, ymd(applicantYear, g), applicantMale, g, used), phone: String(phone++) },
    ];
    if (size >= 2) {
      const spouseYear = applicantYear + g.int(-3, 3);
      members.push({ relation: 'spouse', name: g.pick(SURNAMES) + g.pick(GIVEN), idNumber: idNumber(county, ymd(spouseYear, g), !applicantMale, g, used), phone: g.next() < 0.5 ? String(phone++) : null });
    }
    for (let c = 2; c < size; c++) {
      const childYear = Math.min(year - 1, applicantYear + g.int(22, 34));
      members.push({ relation: 'child', name: surname + g.pick(GIVEN), idNumber: idNumber(county, ymd(childYear, g), g.next() < 0.5, g, used), phone: null });
    }
    out.push({
      regionCode: g.pick(STREETS[county]),
      category,
      guaranteeForm,
      subsidyMonthlyAmount: guaranteeForm === 'rental_subsidy' ? g.int(12, 60) * 10 : null,
      members,
    });
  }
  return out;
}
