import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ConnectorSetName } from '../config';
import { IdentityModule } from '../identity';
import { ConnectorCallsRepository } from './connector-calls.repository';
import { ConnectorsController } from './connectors.controller';
import { ConnectorSet } from './department-checks';
import { CONNECTOR_SET, DepartmentChecksService } from './department-checks.service';
import { SimulatedConnectorSet } from './simulated/simulated-connectors';

/**
 * The connector set named by ANJU_CONNECTORS. A real set (the departments' exchange platform)
 * is a new class implementing ConnectorSet, a new name in config's CONNECTOR_SETS and a case here.
 */
export function connectorSetFor(name: ConnectorSetName): ConnectorSet {
  switch (name) {
    case 'simulated':
      return new SimulatedConnectorSet();
  }
}

/** Department connectors (公安, 民政, 不动产, 市场监管, 人社, 税务, 公积金) and the record of every call. */
@Module({
  // identity's personal-data service seals the departments' answers (connector_calls.department_data_enc)
  imports: [IdentityModule],
  controllers: [ConnectorsController],
  providers: [
    { provide: CONNECTOR_SET, inject: [APP_CONFIG], useFactory: (config: AppConfig) => connectorSetFor(config.connectors.set) },
    ConnectorCallsRepository,
    DepartmentChecksService,
  ],
  exports: [DepartmentChecksService],
})
export class ConnectorsModule {}
