import { Role } from '../../api';
import type { Department, OrganizationKind } from '../departments';

/**
 * The demo organisations and users: one user per role, in real Sichuan places, so every screen
 * and every rule can be tried. Seeded on the embedded database (and on PostgreSQL only with
 * ANJU_DEMO_USERS=true); listed in the README. All share DEMO_PASSWORD. The personal data is
 * fictitious (the ID numbers only satisfy GB 11643's check digit).
 */
export const DEMO_PASSWORD = 'Anju@2025demo';

export interface DemoOrganization {
  code: string;
  name: string;
  kind: OrganizationKind;
  department: Department | null;
  regionCode: string;
}

export interface DemoUser {
  username: string;
  role: Role;
  /** organisation code; none for applicants */
  org: string | null;
  /** data scope roots; default the organisation's region */
  scopes?: string[];
  name: string;
  phone?: string;
  idNumber?: string;
}

/** Demo users' mail goes to a reserved, fictitious domain: `<username>@example.cn`. */
export const DEMO_MAIL_DOMAIN = 'example.cn';

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  { code: 'demo-510000-zj', name: '四川省住房和城乡建设厅', kind: 'department', department: '住建', regionCode: '510000' },
  { code: 'demo-510100-zj', name: '成都市住房和城乡建设局', kind: 'department', department: '住建', regionCode: '510100' },
  { code: 'demo-510104-zj', name: '成都市锦江区住房和城乡建设局', kind: 'department', department: '住建', regionCode: '510104' },
  { code: 'demo-510104-mz', name: '成都市锦江区民政局', kind: 'department', department: '民政', regionCode: '510104' },
  { code: 'demo-510104017-jd', name: '锦江区锦官驿街道办事处', kind: 'street_office', department: null, regionCode: '510104017' },
  { code: 'demo-510603-zj', name: '德阳市旌阳区住房和城乡建设局', kind: 'department', department: '住建', regionCode: '510603' },
];

export const DEMO_USERS: DemoUser[] = [
  { username: 'jj_window', role: Role.WindowCaseworker, org: 'demo-510104-zj', name: '王窗口', phone: '13800000001' },
  { username: 'jgy_street', role: Role.StreetReviewer, org: 'demo-510104017-jd', name: '李街道', phone: '13800000002' },
  { username: 'jj_county', role: Role.CountyReviewer, org: 'demo-510104-zj', name: '张区县', phone: '13800000003' },
  { username: 'cd_city', role: Role.CityReviewer, org: 'demo-510100-zj', name: '刘市级', phone: '13800000004' },
  { username: 'jj_mz_checker', role: Role.DepartmentChecker, org: 'demo-510104-mz', name: '陈民政', phone: '13800000005' },
  { username: 'cdmz_allocation', role: Role.AllocationOfficer, org: 'demo-510100-zj', scopes: ['CDMZ'], name: '杨配租', phone: '13800000006' },
  { username: 'sc_modeler', role: Role.PolicyModeler, org: 'demo-510000-zj', name: '赵建模', phone: '13800000007' },
  { username: 'sc_approver', role: Role.PolicyApprover, org: 'demo-510000-zj', name: '黄审批', phone: '13800000008' },
  { username: 'sc_assessor', role: Role.ProvincialAssessor, org: 'demo-510000-zj', name: '周考核', phone: '13800000009' },
  { username: 'sys_admin', role: Role.SystemAdmin, org: 'demo-510000-zj', name: '吴系统', phone: '13800000010' },
  { username: 'sec_admin', role: Role.SecurityAdmin, org: 'demo-510000-zj', name: '郑安全', phone: '13800000011' },
  { username: 'audit_admin', role: Role.AuditAdmin, org: 'demo-510000-zj', name: '孙审计', phone: '13800000012' },
  { username: 'dy_window', role: Role.WindowCaseworker, org: 'demo-510603-zj', name: '马德阳', phone: '13800000013' },
  { username: 'applicant_zhang', role: Role.Applicant, org: null, name: '张三', phone: '13800000014', idNumber: '510104199001011230' },
];
