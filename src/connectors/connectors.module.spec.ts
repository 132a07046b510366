import { ConfigError, loadConfig } from '../config';
import { connectorSetFor } from './connectors.module';
import { SimulatedConnectorSet } from './simulated/simulated-connectors';

describe('choosing the connector set (ANJU_CONNECTORS)', () => {
  it('is the simulated set by default, and says so', () => {
    const set = connectorSetFor(loadConfig({}).connectors.set);
    expect(set).toBeInstanceOf(SimulatedConnectorSet);
    expect(set).toMatchObject({ name: 'simulated', simulated: true });
  });

  it('refuses a set that does not exist, naming the variable', () => {
    expect(() => loadConfig({ ANJU_CONNECTORS: 'gov-exchange' })).toThrow(ConfigError);
    expect(() => loadConfig({ ANJU_CONNECTORS: 'gov-exchange' })).toThrow(/ANJU_CONNECTORS.*one of simulated/);
  });
});
