import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { IdentityModule } from '../identity';
import { BeneficiaryFacts } from './households/household-facts';
import { HouseholdsExportService } from './households/households-export.service';
import { HouseholdsController } from './households/households.controller';
import { HouseholdsRepository } from './households/households.repository';
import { HouseholdsService } from './households/households.service';
import { TenanciesController } from './households/tenancies.controller';
import { TenanciesService } from './households/tenancies.service';
import { UnitsImportService } from './import/units-import.service';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';
import { HousingSeeder } from './seed/housing-seeder';
import { ProjectsController } from './stock/projects.controller';
import { ProjectsRepository } from './stock/projects.repository';
import { ProjectsService } from './stock/projects.service';
import { UnitsExportService } from './stock/units-export.service';
import { UnitsController } from './stock/units.controller';
import { UnitsRepository } from './stock/units.repository';
import { UnitsService } from './stock/units.service';

/**
 * The two lists (两张清单): the housing stock (projects, buildings, units with their status
 * history; XLSX/CSV import, XLSX export) and the beneficiaries (households with protected members,
 * tenancies), the reconciliation report, and the demo seed.
 */
@Module({
  imports: [AuditModule, IdentityModule],
  controllers: [ProjectsController, UnitsController, HouseholdsController, TenanciesController, ReconciliationController],
  providers: [
    ProjectsRepository,
    ProjectsService,
    UnitsRepository,
    UnitsService,
    UnitsImportService,
    UnitsExportService,
    BeneficiaryFacts,
    HouseholdsRepository,
    HouseholdsService,
    HouseholdsExportService,
    TenanciesService,
    ReconciliationService,
    HousingSeeder,
  ],
  exports: [HouseholdsService, UnitsService, ReconciliationService, HousingSeeder],
})
export class HousingModule {}
