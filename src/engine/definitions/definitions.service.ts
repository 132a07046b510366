import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DomainError, isUuid } from '../../common';
import { EngineErrorCode, definitionNotFound } from '../engine.errors';
import { FeelFunctionRegistry, checkExpression } from '../expressions';
import { ServiceHandlerRegistry } from '../jobs/service-handlers';
import { EngineFactory } from '../runtime/engine-factory';
import { LruCache } from '../expressions/lru-cache';
import { moddleOptionsFor, parseBpmn } from './bpmn-schema';
import { DefinitionsRepository, DefinitionRow, NewDefinition } from './definitions.repository';
import { DefinitionMeta, readDefinitionMeta } from './element-meta';
import type { FormRow, NewForm } from './forms.repository';
import { FormsService } from './forms.service';
import { DMN_FILE, DecisionsService, DeployedDecision } from '../decisions/decisions.service';
import type { NewDecision } from '../decisions/decisions.repository';
import { nextStartTimerDue } from './start-timers';
import { DeployProblem, validateBpmn } from './validate-bpmn';

export interface DeployFile {
  name: string;
  content: Buffer;
}

export interface DeployedDefinition extends DefinitionRow {
  /** false when identical content was already the latest version */
  created: boolean;
}

export interface LoadedDefinition {
  row: DefinitionRow;
  meta: DefinitionMeta;
  sourceContext: unknown;
  moddleOptions: Record<string, unknown>;
}

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const FORM_FILE = /\.form$/i;

export interface DeployedForm extends FormRow {
  /** false when identical content was already the latest version */
  created: boolean;
}

@Injectable()
export class DefinitionsService {
  private readonly logger = new Logger('Definitions');
  private readonly cache = new LruCache<string, LoadedDefinition>(500);

  constructor(
    private readonly ds: DataSource,
    private readonly repo: DefinitionsRepository,
    private readonly factory: EngineFactory,
    private readonly feel: FeelFunctionRegistry,
    private readonly handlers: ServiceHandlerRegistry,
    private readonly clock: Clock,
    private readonly forms: FormsService,
    private readonly decisions: DecisionsService,
  ) {}

  /**
   * Validates every file first; if any is refused, nothing is deployed (422 listing each problem
   * with its file and element). Then, in one transaction, each process key and each form id gets
   * version n+1 unless its content is unchanged.
   */
  async deploy(
    files: DeployFile[],
    origin: 'api' | 'boot',
    actor: string | null,
    name?: string,
  ): Promise<{ deploymentId: string; definitions: DeployedDefinition[]; forms: DeployedForm[]; decisions: DeployedDecision[] }> {
    if (!files.length) throw new DomainError('BAD_INPUT', EngineErrorCode.DeploymentEmpty, 'Send at least one .bpmn, .dmn or .form file (multipart field "files")');
    const prepared: NewDefinition[] = [];
    const forms: NewForm[] = [];
    const decisions: NewDecision[] = [];
    const refused: { file: string; errors: DeployProblem[]; warnings: DeployProblem[] }[] = [];
    for (const f of files) {
      if (DMN_FILE.test(f.name)) {
        const dmn = await this.decisions.prepare(f.name, f.content);
        if ('errors' in dmn) refused.push({ file: f.name, errors: dmn.errors, warnings: [] });
        else decisions.push(...dmn.decisions);
        continue;
      }
      const result = FORM_FILE.test(f.name) ? this.prepareForm(f, forms) : await this.prepare(f);
      if ('errors' in result) refused.push({ file: f.name, warnings: [], ...result });
      else if ('definitions' in result) prepared.push(...result.definitions);
      else forms.push(result.form);
    }
    await this.checkDecisionRefs(prepared, decisions, refused);
    if (refused.length) {
      const first = refused[0].errors[0];
      throw new DomainError('UNPROCESSABLE', EngineErrorCode.DeploymentInvalid, `${refused[0].file}: ${first?.message ?? 'refused'}`, { files: refused });
    }
    return this.ds.transaction(async (em) => {
      const deploymentId = await this.repo.createDeployment(em, name ?? files.map((f) => f.name).join(', '), origin, actor);
      const definitions: DeployedDefinition[] = [];
      for (const d of prepared) {
        const { row, created } = await this.repo.insertVersion(em, deploymentId, d);
        if (created) await this.scheduleStartTimers(em, row, d.meta);
        definitions.push({ ...row, created });
      }
      const storedForms = await this.forms.store(em, deploymentId, forms);
      return { deploymentId, definitions, forms: storedForms, decisions: await this.decisions.store(em, deploymentId, decisions) };
    });
  }

  /** A business rule task must name a decision deployed with it or before it (else 422 naming the task). */
  private async checkDecisionRefs(prepared: NewDefinition[], decisions: NewDecision[], refused: { file: string; errors: DeployProblem[]; warnings: DeployProblem[] }[]): Promise<void> {
    const refs = prepared.flatMap((d) =>
      Object.entries(d.meta.elements).flatMap(([elementId, el]) => (el.decision ? [{ file: d.resourceName, elementId, decisionId: el.decision.decisionId }] : [])),
    );
    if (!refs.length) return;
    const known = new Set([...decisions.map((d) => d.key), ...(await this.decisions.existing(refs.map((r) => r.decisionId)))]);
    for (const r of refs) {
      if (known.has(r.decisionId)) continue;
      const problem = { elementId: r.elementId, code: 'BPMN_DECISION_NOT_FOUND', message: `<${r.elementId}> evaluates decision ${r.decisionId}, which is neither deployed nor in this deployment` };
      const entry = refused.find((x) => x.file === r.file);
      if (entry) entry.errors.push(problem);
      else refused.push({ file: r.file, errors: [problem], warnings: [] });
    }
  }

  /** A form file, checked; two files of one deployment may not carry the same form id. */
  private prepareForm(f: DeployFile, earlier: NewForm[]): { form: NewForm } | { errors: DeployProblem[] } {
    const result = this.forms.prepare(f.name, f.content);
    if ('form' in result && earlier.some((e) => e.formId === result.form.formId)) {
      return { errors: [{ code: 'FORM_ID_DUPLICATE', message: `Another file of this deployment is also form ${result.form.formId}` }] };
    }
    return result;
  }

  private async prepare(f: DeployFile): Promise<{ definitions: NewDefinition[] } | { errors: DeployProblem[]; warnings: DeployProblem[] }> {
    if (!/\.bpmn(20\.xml)?$/i.test(f.name)) {
      const what = 'only .bpmn, .dmn and .form files are deployable';
      return { errors: [{ code: 'RESOURCE_TYPE_UNSUPPORTED', message: `${f.name}: ${what}` }], warnings: [] };
    }
    if (f.content.length > MAX_FILE_BYTES) {
      return { errors: [{ code: 'BPMN_TOO_LARGE', message: `${f.name} is ${f.content.length} bytes; the limit is ${MAX_FILE_BYTES}` }], warnings: [] };
    }
    const xml = f.content.toString('utf8');
    const v = await validateBpmn(xml, {
      isServiceRegistered: (n) => this.handlers.has(n),
      checkExpression: (t) => checkExpression(t, this.feel),
      maxBytes: MAX_FILE_BYTES,
    });
    const executable = v.processes.filter((p) => p.isExecutable);
    if (!v.errors.length && executable.length > 1) {
      v.errors.push({ code: 'BPMN_MULTIPLE_EXECUTABLE_PROCESSES', message: `Deploy one executable process per file (found ${executable.map((p) => p.id).join(', ')})` });
    }
    if (v.errors.length) return { errors: v.errors, warnings: v.warnings };
    const parsed = await parseBpmn(xml, v.schema);
    const sourceContext = JSON.parse(serializer(parsed.moddleContext as never, TypeResolver(this.factory.elements as never)).serialize());
    const sha256 = createHash('sha256').update(xml).digest('hex');
    const p = executable[0];
    return {
      definitions: [
        {
          key: p.id,
          name: p.name ?? null,
          resourceName: f.name,
          sha256,
          xml,
          sourceContext,
          meta: readDefinitionMeta(parsed.definitions, p.id),
          extensionSchema: v.schema,
          warnings: v.warnings,
        },
      ],
    };
  }

  /** A new version takes over the key's timer start events: older versions' pending starts are dropped. */
  private async scheduleStartTimers(em: EntityManager, row: DefinitionRow, meta: DefinitionMeta): Promise<void> {
    await em.query(
      `DELETE FROM engine_jobs WHERE kind = 'start-timer' AND definition_id IN (SELECT id FROM engine_process_definitions WHERE key = $1 AND id <> $2)`,
      [row.key, row.id],
    );
    for (const [elementId, el] of Object.entries(meta.elements)) {
      if (!el.startTimer) continue;
      const next = nextStartTimerDue(el.startTimer, this.clock.now(), true);
      if (!next) continue;
      await em.query(
        `INSERT INTO engine_jobs (kind, definition_id, element_id, execution_id, due_at, payload)
         VALUES ('start-timer', $1, $2, $2, $3, $4)`,
        [row.id, elementId, next.dueAt.toISOString(), JSON.stringify({ remaining: next.remaining ?? null })],
      );
    }
  }

  list(filter: { key?: string; latestOnly?: boolean }): Promise<DefinitionRow[]> {
    return this.repo.list(filter);
  }

  /**
   * Inside a transaction pass its manager: on the embedded database (one connection) a query
   * outside the open transaction waits for it forever. The id is checked first because a
   * malformed uuid would abort the caller's transaction.
   */
  async get(id: string, em?: EntityManager): Promise<DefinitionRow> {
    const row = isUuid(id) ? await this.repo.findById(id, em) : null;
    if (!row) throw definitionNotFound(id);
    return row;
  }

  async getXml(id: string): Promise<string> {
    const src = await this.repo.loadSource(id).catch(() => null);
    if (!src) throw definitionNotFound(id);
    return src.xml;
  }

  async latest(key: string, em?: EntityManager): Promise<DefinitionRow> {
    const row = await this.repo.findLatest(key, em);
    if (!row) throw definitionNotFound(`with key ${key}`);
    return row;
  }

  async version(key: string, version: number, em?: EntityManager): Promise<DefinitionRow> {
    const row = await this.repo.findVersion(key, version, em);
    if (!row) throw definitionNotFound(`${key} version ${version}`);
    return row;
  }

  findByStartMessage(name: string, em?: EntityManager): Promise<DefinitionRow[]> {
    return this.repo.findByStartEvent('startMessage', name, em);
  }

  findByStartSignal(name: string): Promise<DefinitionRow[]> {
    return this.repo.findByStartEvent('startSignal', name);
  }

  /** The parsed, engine-ready source of a version; immutable, so cached for the life of the process. */
  async load(id: string, em?: EntityManager): Promise<LoadedDefinition> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    // sequential: on the embedded database a transaction's manager serves one query at a time
    const row = await this.repo.findById(id, em);
    const src = await this.repo.loadSource(id, em);
    if (!row || !src) throw definitionNotFound(id);
    const loaded: LoadedDefinition = {
      row,
      meta: src.meta,
      sourceContext: this.factory.deserialize(src.sourceContext),
      moddleOptions: moddleOptionsFor(row.extensionSchema),
    };
    this.cache.set(id, loaded);
    this.logger.debug(`loaded ${row.key} v${row.version}`);
    return loaded;
  }
}
