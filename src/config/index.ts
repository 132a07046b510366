export type { AppConfig, ConnectorSetName, DatabaseConfig, LogLevel, MailConfig, PersonalDataKey, PiiCipher, SecurityConfig } from './config';
export { CONNECTOR_SETS, ConfigError, VARIABLES, loadConfig } from './config';
export { APP_CONFIG, ConfigModule } from './config.module';
