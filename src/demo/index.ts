// The demo data's public surface (app.module.ts and tests import only from here).
export { DemoModule } from './demo.module';
export { DemoApplicationSeeder } from './demo-application-seeder';
export type { DemoSeedResult } from './demo-application-seeder';
export { DEMO_CASES, DEMO_STAGES, DEMO_STAGE_LABELS, DEMO_STAGE_STATUS, TASK as DEMO_TASKS } from './demo-cases';
export type { DemoCase, DemoStage } from './demo-cases';
