import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

/**
 * Role codes (角色). They live here, beside `Actor`, because every module names them in its
 * access declarations; identity owns what they may do (identity/roles.ts) and who holds them.
 */
export const Role = {
  /** 窗口受理员: takes applications at a service window */
  WindowCaseworker: 'window_caseworker',
  /** 街道初审: street-office first review */
  StreetReviewer: 'street_reviewer',
  /** 区县审核 */
  CountyReviewer: 'county_reviewer',
  /** 市级复核 */
  CityReviewer: 'city_reviewer',
  /** 部门核查员: a department's checker in the joint review (联合审查) */
  DepartmentChecker: 'department_checker',
  /** 配租专员 */
  AllocationOfficer: 'allocation_officer',
  /** edits BPMN diagrams and rules */
  PolicyModeler: 'policy_modeler',
  /** approves a policy change (four eyes) */
  PolicyApprover: 'policy_approver',
  /** 省级考核: the province's assessors of 市州 */
  ProvincialAssessor: 'provincial_assessor',
  /** 系统管理员: accounts, organisations, designates the other two administrators */
  SystemAdmin: 'system_admin',
  /** 安全管理员: grants business roles and data scopes, unlocks accounts */
  SecurityAdmin: 'security_admin',
  /** 审计管理员: reads the audit log, nothing else */
  AuditAdmin: 'audit_admin',
  /** 申请人: a household's applicant, sees only their own cases */
  Applicant: 'applicant',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ROLES: readonly Role[] = Object.values(Role);

/** 三员分立: no user holds two of these (the database refuses it too). */
export const ADMIN_ROLES: readonly Role[] = [Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin];

/** Who may call an endpoint; identity's guard reads it from the handler, then from the controller. */
export type AccessRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: Role[] };

export const ACCESS_METADATA = 'anju:access';

/** Anyone, logged in or not (login itself, health). A token, when sent and valid, still sets the actor. */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** Any logged-in user, whatever their roles. */
export const Authenticated = () => applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies AccessRule), ApiBearerAuth());

/** A logged-in user holding at least one of the roles; others get 403. Services still check the object. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule), ApiBearerAuth());
