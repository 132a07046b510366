// housing's public surface: other modules import only from here.
export { HousingModule } from './housing.module';
export { HousingErrorCode } from './housing.errors';
export { Category, GuaranteeForm, HousingType, Layout, Relation, UnitStatus } from './housing-codes';
export type { Label } from './housing-codes';
export { HouseholdsService } from './households/households.service';
export type { HouseholdDetailDto, HouseholdDto } from './households/households.dto';
export { UnitsService } from './stock/units.service';
export type { UnitDetailDto, UnitDto } from './stock/stock.dto';
export { ReconciliationService } from './reconciliation.service';
export type { ReconciliationReport } from './reconciliation.service';
export { HousingSeeder } from './seed/housing-seeder';
