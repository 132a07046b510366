import { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../common';

export enum IdentityErrorCode {
  LoginRequired = 'LOGIN_REQUIRED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  AccountLocked = 'ACCOUNT_LOCKED',
  AccountDisabled = 'ACCOUNT_DISABLED',
  TokenInvalid = 'TOKEN_INVALID',
  TokenExpired = 'TOKEN_EXPIRED',
  SessionExpired = 'SESSION_EXPIRED',
  SessionRevoked = 'SESSION_REVOKED',
  RefreshTokenInvalid = 'REFRESH_TOKEN_INVALID',
  RefreshTokenReused = 'REFRESH_TOKEN_REUSED',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  RoleRequired = 'ROLE_REQUIRED',
  PermissionDenied = 'PERMISSION_DENIED',
  SelfGrant = 'SELF_GRANT',
  AdminRolesSeparate = 'ADMIN_ROLES_SEPARATE',
  RoleNotForKind = 'ROLE_NOT_FOR_KIND',
  PasswordPolicy = 'PASSWORD_POLICY',
  PasswordIncorrect = 'PASSWORD_INCORRECT',
  PurposeRequired = 'PURPOSE_REQUIRED',
  IdNumberInvalid = 'ID_NUMBER_INVALID',
  PhoneInvalid = 'PHONE_INVALID',
  UserNotFound = 'USER_NOT_FOUND',
  UsernameTaken = 'USERNAME_TAKEN',
  IdNumberTaken = 'ID_NUMBER_TAKEN',
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  OrganizationCodeTaken = 'ORGANIZATION_CODE_TAKEN',
  RegionUnknown = 'REGION_UNKNOWN',
  ScopeUnknown = 'SCOPE_UNKNOWN',
  PersonalDataUnreadable = 'PERSONAL_DATA_UNREADABLE',
}

type Code = IdentityErrorCode;
const C = IdentityErrorCode;

/** A field-level 400 in the same shape as the validation pipe's: details.fields[{ field, problems }]. */
export const fieldProblem = (code: Code, field: string, problems: string[]) =>
  new BadInputError(code, `Invalid ${field}: ${problems.join('; ')}`, { fields: [{ field, problems }] });

export const loginRequired = () => new UnauthenticatedError(C.LoginRequired, 'Log in first (Authorization: Bearer <access token>)');
export const invalidCredentials = () => new UnauthenticatedError(C.InvalidCredentials, 'Wrong username or password');
export const accountLocked = (until: Date) =>
  new UnauthenticatedError(C.AccountLocked, `Too many failed logins: the account is locked until ${until.toISOString()}`, { lockedUntil: until.toISOString() });
export const accountDisabled = () => new UnauthenticatedError(C.AccountDisabled, 'This account is disabled');
export const tokenInvalid = () => new UnauthenticatedError(C.TokenInvalid, 'The access token is not valid; log in again');
export const tokenExpired = () => new UnauthenticatedError(C.TokenExpired, 'The access token has expired; renew it with POST /api/auth/refresh');
export const sessionExpired = (why: 'idle' | 'expired') =>
  new UnauthenticatedError(C.SessionExpired, why === 'idle' ? 'The session was idle too long and has ended; log in again' : 'The session has ended; log in again', { reason: why });
export const sessionRevoked = () => new UnauthenticatedError(C.SessionRevoked, 'The session has ended (logged out or revoked); log in again');
export const refreshTokenInvalid = () => new UnauthenticatedError(C.RefreshTokenInvalid, 'The refresh token is not valid; log in again');
export const refreshTokenReused = () =>
  new UnauthenticatedError(C.RefreshTokenReused, 'This refresh token was already used; the session has been ended for safety. Log in again');
export const tooManyAttempts = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', C.TooManyAttempts, `Too many attempts from this address; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
export const roleRequired = (roles: string[]) => new ForbiddenError(C.RoleRequired, `This needs one of the roles: ${roles.join(', ')}`, { roles });
export const permissionDenied = (permission: string) => new ForbiddenError(C.PermissionDenied, `You may not do this (needs ${permission})`, { permission });
export const selfGrant = () => new ForbiddenError(C.SelfGrant, 'Nobody may change their own roles or scopes');
export const adminRolesSeparate = (roles: string[]) =>
  new ConflictError(
    C.AdminRolesSeparate,
    'System, security and audit administrators are separate people, and an administrator holds no other role',
    { roles },
  );
export const roleNotForKind = (role: string, kind: string) =>
  new BadInputError(C.RoleNotForKind, `The role ${role} cannot be given to a ${kind} account`, { role, kind });
export const passwordPolicy = (field: string, problems: string[]) => fieldProblem(C.PasswordPolicy, field, problems);
export const passwordIncorrect = () => new BadInputError(C.PasswordIncorrect, 'The current password is wrong', { fields: [{ field: 'currentPassword', problems: ['is wrong'] }] });
export const purposeRequired = () => fieldProblem(C.PurposeRequired, 'purpose', ['state why the unmasked data is needed (at least 4 characters)']);
export const userNotFound = (id: string) => new NotFoundError(C.UserNotFound, `No user ${id}`, { id });
export const usernameTaken = (username: string) => new ConflictError(C.UsernameTaken, `The username ${username} is taken`, { username });
export const idNumberTaken = () => new ConflictError(C.IdNumberTaken, 'An account with this ID number already exists', { fields: [{ field: 'idNumber', problems: ['is taken'] }] });
export const organizationNotFound = (id: string) => new NotFoundError(C.OrganizationNotFound, `No organisation ${id}`, { id });
export const organizationCodeTaken = (code: string) => new ConflictError(C.OrganizationCodeTaken, `The organisation code ${code} is taken`, { code });
export const regionUnknown = (field: string, code: string) => fieldProblem(C.RegionUnknown, field, [`${code} is not a current region code`]);
export const scopeUnknown = (codes: string[]) => fieldProblem(C.ScopeUnknown, 'scopes', [`not a current region or region group: ${codes.join(', ')}`]);
export const personalDataUnreadable = () =>
  new DomainError('UNAVAILABLE', C.PersonalDataUnreadable, 'A stored personal-data value cannot be decrypted (unknown key id or altered value)');
