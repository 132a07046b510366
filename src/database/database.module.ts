import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { connect, createDataSource } from './data-source';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        type: 'postgres',
        autoLoadEntities: true,
        // fail fast: @nestjs/typeorm would otherwise retry 9 times (≈ 27 s) on a bad URL
        retryAttempts: 0,
        config,
      }),
      dataSourceFactory: async (options) => {
        const config = (options as unknown as { config: AppConfig }).config;
        const ds = await connect(createDataSource(config.database, options?.entities), config.database);
        if (config.database.runMigrations) {
          const applied = await ds.runMigrations({ transaction: 'each' });
          if (applied.length) {
            new Logger('Database').log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
          }
        }
        return ds;
      },
    }),
  ],
})
export class DatabaseModule {}

export { DataSource };
