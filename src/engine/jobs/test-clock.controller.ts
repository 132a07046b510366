import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../api';
import { AdjustableClock, BadInputError, Clock } from '../../common';
import { TestClockDto } from '../engine.dto';
import { JobExecutor } from './job-executor';

/** Registered only when ANJU_TEST_CLOCK=1 (otherwise these routes are 404): moves time for scenario tests. */
@ApiExcludeController()
@Public()
@Controller('api/test')
export class TestClockController {
  constructor(
    private readonly clock: Clock,
    private readonly executor: JobExecutor,
  ) {}

  @Post('clock')
  @HttpCode(200)
  move(@Body() body: TestClockDto) {
    const clock = this.clock as AdjustableClock;
    if (body.now) clock.set(new Date(body.now));
    else if (body.offsetMs !== undefined) clock.advance(body.offsetMs);
    else throw new BadInputError('VALIDATION_FAILED', 'Send now (ISO date-time) or offsetMs', { fields: [{ field: 'now', problems: ['now or offsetMs is required'] }] });
    return { now: clock.now().toISOString() };
  }

  @Post('jobs/run-due')
  @HttpCode(200)
  async runDue() {
    return { ran: await this.executor.runDue() };
  }
}
