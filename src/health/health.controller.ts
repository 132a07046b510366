import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar';
import { Public } from '../api';
import { APP_CONFIG, AppConfig } from '../config';
import { migrationStatus } from '../database';

/** Public: load balancers and monitors call it without a login; it shows no data. */
@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly ds: DataSource,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 200 when the database answers and every migration is applied; 503 naming what is wrong
   * otherwise. A missing calendar year is a warning (`info.calendar.warning`), not an outage:
   * deadlines are still computed, flagged provisional.
   */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      () => this.migrations(),
      () => this.indicators.check('app').up({ version: this.config.version, database: this.config.database.kind }),
      () => this.calendarStatus(),
    ]);
  }

  private calendarStatus() {
    const { knownYears, missing, warning } = this.calendar.status();
    return this.indicators.check('calendar').up({ lastYear: knownYears.at(-1) ?? null, missing, ...(warning && { warning }) });
  }

  private async migrations() {
    const session = this.indicators.check('migrations');
    const { applied, pending } = await migrationStatus(this.ds);
    return pending.length ? session.down({ pending }) : session.up({ applied: applied.size });
  }
}
