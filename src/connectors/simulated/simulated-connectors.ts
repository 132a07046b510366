import { compare } from '../comparisons';
import {
  CheckData,
  CheckOutcome,
  CheckSubject,
  CheckType,
  CivilAffairsConnector,
  ConnectorSet,
  HousingFundConnector,
  HumanResourcesConnector,
  MarketRegulationConnector,
  PublicSecurityConnector,
  RealEstateConnector,
  TaxationConnector,
} from '../department-checks';
import { SIMULATED_FAILURES, SIMULATED_HOUSEHOLDS, SimulatedPerson } from './simulated-records';
import { syntheticRecords } from './synthetic-population';

/**
 * The SIMULATED departments: answers come from the fictitious records of simulated-records.ts,
 * never from a department, and for anyone not there, from the synthetic population of
 * synthetic-population.ts (ID numbers in its reserved range). Deterministic (same ID number, same
 * answer), instant, and every answer carries `simulated: true`.
 */
export class SimulatedDepartmentRecords {
  private readonly people = new Map<string, SimulatedPerson>();

  constructor() {
    for (const h of SIMULATED_HOUSEHOLDS) for (const m of h.members) this.people.set(m.idNumber, m);
  }

  answer<C extends CheckType>(check: C, subject: CheckSubject): Promise<CheckOutcome<CheckData[C]>> {
    const failure = SIMULATED_FAILURES.find((f) => f.idNumber === subject.idNumber && f.check === check);
    if (failure) return Promise.resolve({ result: 'ERROR', data: null, message: failure.message, simulated: true });
    const person = this.people.get(subject.idNumber);
    const record = (person ? person.records[check] : syntheticRecords(subject.idNumber)?.[check]) as CheckData[C] | undefined;
    if (!record) {
      return Promise.resolve({
        result: 'NO_DATA',
        data: null,
        message: { 'zh-CN': '部门未查到此人的相关记录（模拟数据）', en: 'The department holds no record of this person (simulated data)' },
        simulated: true,
      });
    }
    const verdict = compare(check, subject.declared, record);
    return Promise.resolve({ result: verdict.result, data: structuredClone(record), message: verdict.message, simulated: true });
  }
}

export class SimulatedPublicSecurityConnector implements PublicSecurityConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  hukou(s: CheckSubject) {
    return this.records.answer('hukou', s);
  }
  vehicles(s: CheckSubject) {
    return this.records.answer('vehicles', s);
  }
}

export class SimulatedCivilAffairsConnector implements CivilAffairsConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  assistanceStatus(s: CheckSubject) {
    return this.records.answer('assistance_status', s);
  }
  income(s: CheckSubject) {
    return this.records.answer('income', s);
  }
}

export class SimulatedRealEstateConnector implements RealEstateConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  property(s: CheckSubject) {
    return this.records.answer('property', s);
  }
}

export class SimulatedMarketRegulationConnector implements MarketRegulationConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  enterprises(s: CheckSubject) {
    return this.records.answer('enterprises', s);
  }
}

export class SimulatedHumanResourcesConnector implements HumanResourcesConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  socialInsurance(s: CheckSubject) {
    return this.records.answer('social_insurance', s);
  }
}

export class SimulatedTaxationConnector implements TaxationConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  incomeTax(s: CheckSubject) {
    return this.records.answer('income_tax', s);
  }
}

export class SimulatedHousingFundConnector implements HousingFundConnector {
  constructor(private readonly records: SimulatedDepartmentRecords) {}
  housingFund(s: CheckSubject) {
    return this.records.answer('housing_fund', s);
  }
}

/** ANJU_CONNECTORS=simulated (the default): every department simulated. */
export class SimulatedConnectorSet implements ConnectorSet {
  readonly name = 'simulated';
  readonly simulated = true;
  readonly publicSecurity: SimulatedPublicSecurityConnector;
  readonly civilAffairs: SimulatedCivilAffairsConnector;
  readonly realEstate: SimulatedRealEstateConnector;
  readonly marketRegulation: SimulatedMarketRegulationConnector;
  readonly humanResources: SimulatedHumanResourcesConnector;
  readonly taxation: SimulatedTaxationConnector;
  readonly housingFund: SimulatedHousingFundConnector;

  constructor(records = new SimulatedDepartmentRecords()) {
    this.publicSecurity = new SimulatedPublicSecurityConnector(records);
    this.civilAffairs = new SimulatedCivilAffairsConnector(records);
    this.realEstate = new SimulatedRealEstateConnector(records);
    this.marketRegulation = new SimulatedMarketRegulationConnector(records);
    this.humanResources = new SimulatedHumanResourcesConnector(records);
    this.taxation = new SimulatedTaxationConnector(records);
    this.housingFund = new SimulatedHousingFundConnector(records);
  }
}
