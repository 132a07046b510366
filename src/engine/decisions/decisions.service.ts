import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, DomainError, NotFoundError } from '../../common';
import type { DeployProblem } from '../definitions/validate-bpmn';
import { FeelFunctionRegistry } from '../expressions';
import { checkVariables } from '../runtime/variables';
import { DecisionError, evaluateDecision } from './dmn-evaluate';
import { parseDmn } from './dmn-parse';
import { DecisionRow, DecisionWithGraph, DecisionsRepository, NewDecision } from './decisions.repository';

export const DMN_FILE = /\.dmn$/i;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface DeployedDecision extends DecisionRow {
  /** false when the file was unchanged, so the latest version stays */
  created: boolean;
}

/** What a decision answered, and which version of it did: what a case records as its judgement. */
export interface DecisionResult {
  decisionDefinitionId: string;
  key: string;
  version: number;
  result: unknown;
  matchedRules: string[];
  required: { decisionId: string; result: unknown; matchedRules: string[] }[];
}

export const DecisionErrorCode = {
  NotFound: 'DECISION_DEFINITION_NOT_FOUND',
  EvaluationFailed: 'DECISION_EVALUATION_FAILED',
} as const;

/**
 * DMN decisions (eligibility standards and the like) deployed with diagrams through
 * POST /api/deployments: a policy team changes a line by deploying a new version, and every
 * evaluation says which version judged it.
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly repo: DecisionsRepository,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
  ) {}

  /** Parses a .dmn file: its decisions, or the problems naming decision, column or rule. */
  async prepare(name: string, content: Buffer): Promise<{ decisions: NewDecision[] } | { errors: DeployProblem[] }> {
    if (content.length > MAX_FILE_BYTES) return { errors: [{ code: 'DMN_TOO_LARGE', message: `${name} is larger than 10 MB` }] };
    const xml = content.toString('utf8');
    const parsed = await parseDmn(xml);
    if (!parsed.graph) return { errors: parsed.errors };
    const sha256 = createHash('sha256').update(content).digest('hex');
    const graph = parsed.graph;
    return { decisions: Object.values(graph.decisions).map((d) => ({ key: d.id, name: d.name, resourceName: name, sha256, xml, graph })) };
  }

  /** Stores the prepared decisions of one deployment, in its transaction. */
  async store(em: EntityManager, deploymentId: string, decisions: NewDecision[]): Promise<DeployedDecision[]> {
    const now = this.clock.now();
    const out: DeployedDecision[] = [];
    for (const d of decisions) {
      const { row, created } = await this.repo.insertVersion(em, deploymentId, d, now);
      out.push({ ...row, created });
    }
    return out;
  }

  list(filter: { key?: string; latestOnly?: boolean }): Promise<DecisionRow[]> {
    return this.repo.list(filter);
  }

  async get(id: string): Promise<DecisionWithGraph> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound(id);
    return row;
  }

  async xml(id: string): Promise<string> {
    const xml = await this.repo.xml(id);
    if (xml === null) throw notFound(id);
    return xml;
  }

  existing(keys: string[], em?: EntityManager): Promise<Set<string>> {
    return this.repo.existing(keys, em);
  }

  /** Evaluates the latest (or the given) version of a decision key over `variables`. */
  async evaluate(key: string, rawVariables: unknown, version?: number, em?: EntityManager): Promise<DecisionResult> {
    const variables = checkVariables(rawVariables);
    const row = await this.repo.byKey(key, version, em);
    if (!row) throw notFound(version ? `${key} version ${version}` : key);
    try {
      const e = evaluateDecision(row.graph, row.key, variables, this.feel);
      return {
        decisionDefinitionId: row.id,
        key: row.key,
        version: row.version,
        result: e.result,
        matchedRules: e.matchedRules,
        required: e.required.map((r) => ({ decisionId: r.decisionId, result: r.result, matchedRules: r.matchedRules })),
      };
    } catch (err) {
      if (err instanceof DecisionError) {
        throw new DomainError('UNPROCESSABLE', DecisionErrorCode.EvaluationFailed, err.message, { decision: row.key, version: row.version, elementId: err.elementId, reason: err.code });
      }
      throw err;
    }
  }
}

const notFound = (ref: string) => new NotFoundError(DecisionErrorCode.NotFound, `No decision definition ${ref}`, { decision: ref });
