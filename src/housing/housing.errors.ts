import { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError } from '../common';

export enum HousingErrorCode {
  ProjectNotFound = 'PROJECT_NOT_FOUND',
  ProjectCodeTaken = 'PROJECT_CODE_TAKEN',
  BuildingNotFound = 'BUILDING_NOT_FOUND',
  BuildingNumberTaken = 'BUILDING_NUMBER_TAKEN',
  UnitNotFound = 'UNIT_NOT_FOUND',
  AssetNoTaken = 'ASSET_NO_TAKEN',
  RoomTaken = 'ROOM_TAKEN',
  FloorAboveBuilding = 'FLOOR_ABOVE_BUILDING',
  AreaInvalid = 'AREA_INVALID',
  StatusChangeRefused = 'STATUS_CHANGE_REFUSED',
  RegionUnknown = 'REGION_UNKNOWN',
  RegionOutOfScope = 'REGION_OUT_OF_SCOPE',
  RegionOutsideProject = 'REGION_OUTSIDE_PROJECT',
  HouseholdNotFound = 'HOUSEHOLD_NOT_FOUND',
  HouseholdMembersInvalid = 'HOUSEHOLD_MEMBERS_INVALID',
  PersonInAnotherHousehold = 'PERSON_IN_ANOTHER_HOUSEHOLD',
  SubsidyInvalid = 'SUBSIDY_INVALID',
  CategoryInvalid = 'CATEGORY_INVALID',
  TenancyNotFound = 'TENANCY_NOT_FOUND',
  TenancyEnded = 'TENANCY_ENDED',
  TenancyDatesInvalid = 'TENANCY_DATES_INVALID',
  UnitNotLettable = 'UNIT_NOT_LETTABLE',
  UnitOccupied = 'UNIT_OCCUPIED',
  HouseholdAlreadyHoused = 'HOUSEHOLD_ALREADY_HOUSED',
  ContractNoTaken = 'CONTRACT_NO_TAKEN',
  ImportFileMissing = 'IMPORT_FILE_MISSING',
  ImportFileUnreadable = 'IMPORT_FILE_UNREADABLE',
  ImportRejected = 'IMPORT_REJECTED',
  ImportEmpty = 'IMPORT_EMPTY',
  ImportTooLarge = 'IMPORT_TOO_LARGE',
  ExportTooLarge = 'EXPORT_TOO_LARGE',
  StockChangedMeanwhile = 'STOCK_CHANGED_MEANWHILE',
}

const C = HousingErrorCode;

/** A 400 in the validation pipe's shape: details.fields[{ field, problems }]. */
export const fieldProblem = (code: HousingErrorCode, field: string, problems: string[]) =>
  new BadInputError(code, `Invalid ${field}: ${problems.join('; ')}`, { fields: [{ field, problems }] });

export const projectNotFound = (id: string) => new NotFoundError(C.ProjectNotFound, `No housing project ${id}`, { id });
export const projectCodeTaken = (code: string) =>
  new ConflictError(C.ProjectCodeTaken, `The project code ${code} is taken`, { fields: [{ field: 'code', problems: ['is taken'] }] });
export const buildingNotFound = (id: string) => new NotFoundError(C.BuildingNotFound, `No building ${id}`, { id });
export const buildingNumberTaken = (number: string) =>
  new ConflictError(C.BuildingNumberTaken, `The project already has a building ${number}`, { fields: [{ field: 'number', problems: ['is taken'] }] });
export const unitNotFound = (id: string) => new NotFoundError(C.UnitNotFound, `No housing unit ${id}`, { id });
export const assetNoTaken = (assetNo: string) =>
  new ConflictError(C.AssetNoTaken, `The asset number ${assetNo} belongs to another unit`, { fields: [{ field: 'assetNo', problems: ['is taken'] }] });
export const roomTaken = () =>
  new ConflictError(C.RoomTaken, 'The building already has a unit with this entrance and room number', { fields: [{ field: 'roomNo', problems: ['is taken'] }] });
export const floorAboveBuilding = (floor: number, floors: number) =>
  fieldProblem(C.FloorAboveBuilding, 'floor', [`floor ${floor} is above the building's ${floors} floors`]);
export const areaInvalid = () => fieldProblem(C.AreaInvalid, 'usableArea', ['must not exceed the building area']);
export const statusChangeRefused = (from: string, to: string, why: { zh: string; en: string }) =>
  new ConflictError(C.StatusChangeRefused, `Status change refused: ${why.en}`, { from, to, reason: why });
export const regionUnknown = (field: string, code: string) => fieldProblem(C.RegionUnknown, field, [`${code} is not a current region code`]);
export const regionOutOfScope = (field: string, code: string) =>
  new ForbiddenError(C.RegionOutOfScope, `The region ${code} is outside your data scope`, { fields: [{ field, problems: ['is outside your data scope'] }] });
export const regionOutsideProject = (code: string, projectRegion: string) =>
  fieldProblem(C.RegionOutsideProject, 'regionCode', [`${code} is not inside the project's region ${projectRegion}`]);
export const householdNotFound = (id: string) => new NotFoundError(C.HouseholdNotFound, `No household ${id}`, { id });
export const householdMembersInvalid = (problems: string[]) => fieldProblem(C.HouseholdMembersInvalid, 'members', problems);
export const personInAnotherHousehold = (index: number) =>
  new ConflictError(C.PersonInAnotherHousehold, `Member ${index} already belongs to a beneficiary household`, {
    fields: [{ field: `members.${index}.idNumber`, problems: ['already belongs to a beneficiary household'] }],
  });
export const subsidyInvalid = (problem: string) => fieldProblem(C.SubsidyInvalid, 'subsidyMonthlyAmount', [problem]);
export const categoryInvalid = (problem: string) => fieldProblem(C.CategoryInvalid, 'category', [problem]);
export const tenancyNotFound = (id: string) => new NotFoundError(C.TenancyNotFound, `No tenancy ${id}`, { id });
export const tenancyEnded = (id: string) => new ConflictError(C.TenancyEnded, `The tenancy ${id} has already ended`, { id });
export const tenancyDatesInvalid = (field: string, problem: string) => fieldProblem(C.TenancyDatesInvalid, field, [problem]);
export const unitNotLettable = (status: string) =>
  new ConflictError(C.UnitNotLettable, `A tenancy can begin only on a vacant or allocated unit; this one is ${status}`, { status });
export const unitOccupied = () => new ConflictError(C.UnitOccupied, 'The unit already has a current tenancy');
export const householdAlreadyHoused = () =>
  new ConflictError(C.HouseholdAlreadyHoused, 'The household already has a current tenancy; end it first (a swap ends the old tenancy)');
export const contractNoTaken = () =>
  new ConflictError(C.ContractNoTaken, 'Another tenancy has this contract number', { fields: [{ field: 'contractNo', problems: ['is taken'] }] });
export const importFileMissing = () =>
  new BadInputError(C.ImportFileMissing, 'Send one .xlsx or .csv file as multipart form data (field "file")', { fields: [{ field: 'file', problems: ['is missing'] }] });
export const importFileUnreadable = (why: string) =>
  new BadInputError(C.ImportFileUnreadable, `The file cannot be read as .xlsx or .csv: ${why}`, { fields: [{ field: 'file', problems: [why] }] });
export const importEmpty = () =>
  new DomainError('UNPROCESSABLE', C.ImportEmpty, 'The sheet has no unit rows under its header; nothing was imported', { errors: [{ row: 2, column: null, problem: '表头下没有房源数据', problemEn: 'no unit rows under the header' }] });
export const importTooLarge = (rows: number, max: number) =>
  new DomainError('TOO_LARGE', C.ImportTooLarge, `The file has ${rows} rows; at most ${max} are imported at once`, { rows, max });
export const exportTooLarge = (max: number) =>
  new DomainError('UNPROCESSABLE', C.ExportTooLarge, `More than ${max} rows match; narrow the filters (an export holds at most ${max})`, { max });
export const stockChangedMeanwhile = () =>
  new ConflictError(C.StockChangedMeanwhile, 'Another change to the same units was saved meanwhile; run the import again');
