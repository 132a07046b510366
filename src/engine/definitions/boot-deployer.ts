import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { pendingMigrations } from '../../database';
import { DefinitionsService } from './definitions.service';

/** The repository's processes/ folder, relative to the working directory (where npm runs). */
export const PROCESSES_DIR = resolve(process.cwd(), 'processes');

/**
 * Deploys every diagram and DMN decision under processes/ and every form under processes/forms/ at boot, as one
 * deployment (so each diagram's tasks use the forms deployed with it). Unchanged content is not
 * redeployed (same hash), so a restart creates no versions; a refused diagram or form stops the
 * boot with its problems listed. Runs at bootstrap, after every module has registered its
 * service handlers.
 */
@Injectable()
export class BootDeployer implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootDeployer');

  constructor(
    private readonly definitions: DefinitionsService,
    private readonly ds: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // with migrations pending (DB_MIGRATIONS_RUN=false) the tables may not exist: /health says so
    const pending = (await pendingMigrations(this.ds)).length;
    if (pending) {
      this.logger.warn(`${pending} migration(s) pending: processes/ is not deployed until they have run`);
      return;
    }
    await this.deployDirectory(PROCESSES_DIR);
  }

  /** Deploys `<dir>/*.bpmn` and `<dir>/*.dmn` with `<dir>/forms/*.form`; nothing when there are none. */
  async deployDirectory(dir: string) {
    const read = (folder: string, ext: string) =>
      existsSync(folder)
        ? readdirSync(folder)
            .filter((f) => f.endsWith(ext))
            .sort()
            .map((f) => ({ name: f, content: readFileSync(join(folder, f)) }))
        : [];
    const files = [...read(dir, '.dmn'), ...read(dir, '.bpmn'), ...read(join(dir, 'forms'), '.form')];
    if (!files.length) return null;
    const result = await this.definitions.deploy(files, 'boot', null, 'processes/');
    const created = [...result.definitions.filter((d) => d.created).map((d) => `${d.key} v${d.version}`), ...result.forms.filter((f) => f.created).map((f) => `form ${f.formId} v${f.version}`), ...result.decisions.filter((d) => d.created).map((d) => `decision ${d.key} v${d.version}`)];
    if (created.length) this.logger.log(`deployed ${created.join(', ')}`);
    return result;
  }
}
