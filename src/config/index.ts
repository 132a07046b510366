export type { AppConfig, DatabaseConfig, LogLevel, PersonalDataKey, PiiCipher, SecurityConfig } from './config';
export { ConfigError, VARIABLES, loadConfig } from './config';
export { APP_CONFIG, ConfigModule } from './config.module';
