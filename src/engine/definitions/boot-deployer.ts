import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefinitionsService } from './definitions.service';

/** The repository's processes/ folder, relative to the working directory (where npm runs). */
export const PROCESSES_DIR = resolve(process.cwd(), 'processes');

/**
 * Deploys every diagram under processes/ at boot. Unchanged content is not redeployed (same hash),
 * so a restart creates no versions; a refused diagram stops the boot with its problems listed.
 * Runs at bootstrap, after every module has registered its service handlers.
 */
@Injectable()
export class BootDeployer implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootDeployer');

  constructor(private readonly definitions: DefinitionsService) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!existsSync(PROCESSES_DIR)) return;
    const files = readdirSync(PROCESSES_DIR)
      .filter((f) => f.endsWith('.bpmn'))
      .sort()
      .map((f) => ({ name: f, content: readFileSync(join(PROCESSES_DIR, f)) }));
    if (!files.length) return;
    const { definitions } = await this.definitions.deploy(files, 'boot', null, 'processes/');
    const created = definitions.filter((d) => d.created);
    if (created.length) this.logger.log(`deployed ${created.map((d) => `${d.key} v${d.version}`).join(', ')}`);
  }
}
