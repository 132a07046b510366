import { Global, Module } from '@nestjs/common';
import { AdjustableClock, Clock } from './clock';

/** One clock for the whole process: services inject `Clock`; the test-clock endpoint moves it. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: AdjustableClock }],
  exports: [Clock],
})
export class ClockModule {}
