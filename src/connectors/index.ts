// connectors' public surface: other modules import only from here.
export { ConnectorsModule, connectorSetFor } from './connectors.module';
export { DepartmentChecksService } from './department-checks.service';
export type { CheckRequest } from './department-checks.service';
export type { ConnectorCall } from './connector-calls.repository';
export { ConnectorErrorCode } from './connectors.errors';
export type { MissingConsent } from './connectors.errors';
export { consentFor } from './consent';
export type { Authorisation, ConsentDecision, ConsentProblem } from './consent';
export { compare, INCOME_TOLERANCE, AREA_TOLERANCE } from './comparisons';
export {
  ASSISTANCE_STATUSES,
  ASSISTANCE_STATUS_LABELS,
  CHECKS,
  CHECK_DEPARTMENT_LABELS,
  CHECK_RESULTS,
  CHECK_RESULT_LABELS,
  CHECK_TYPES,
  CheckType,
  askDepartment,
} from './department-checks';
export type { AssistanceStatus, CheckData, CheckOutcome, CheckResult, CheckSubject, ConnectorSet, DeclaredFacts, Label } from './department-checks';
export type {
  CivilAffairsConnector,
  HousingFundConnector,
  HumanResourcesConnector,
  MarketRegulationConnector,
  PublicSecurityConnector,
  RealEstateConnector,
  TaxationConnector,
} from './department-checks';
export { SimulatedConnectorSet } from './simulated/simulated-connectors';
export { SIMULATED_FAILURES, SIMULATED_HOUSEHOLDS } from './simulated/simulated-records';
export type { SimulatedHousehold, SimulatedPerson } from './simulated/simulated-records';
export {
  SYNTHETIC_ADDRESS_CODE,
  SYNTHETIC_HOUSEHOLDS,
  SYNTHETIC_PEOPLE,
  syntheticHousehold,
  syntheticIdNumber,
  syntheticIndex,
  syntheticPerson,
  syntheticRecords,
} from './simulated/synthetic-population';
export type { SyntheticDifference } from './simulated/synthetic-population';
