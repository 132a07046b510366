import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DecisionGraph } from './dmn-parse';

export interface DecisionRow {
  id: string;
  key: string;
  version: number;
  name: string;
  deploymentId: string;
  resourceName: string;
  sha256: string;
  createdAt: Date;
}

export interface DecisionWithGraph extends DecisionRow {
  graph: DecisionGraph;
}

export interface NewDecision {
  key: string;
  name: string;
  resourceName: string;
  sha256: string;
  xml: string;
  graph: DecisionGraph;
}

const COLUMNS = `d.id, d.key, d.version, d.name, d.deployment_id AS "deploymentId", d.resource_name AS "resourceName", d.sha256, d.created_at AS "createdAt"`;

@Injectable()
export class DecisionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Version n+1 of a decision key, or the latest when its file is unchanged; an advisory lock per key. */
  async insertVersion(em: EntityManager, deploymentId: string, d: NewDecision, now: Date): Promise<{ row: DecisionRow; created: boolean }> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('engine_decision_definitions:' || $1))`, [d.key]);
    const [latest]: DecisionRow[] = await em.query(`SELECT ${COLUMNS} FROM engine_decision_definitions d WHERE key = $1 ORDER BY version DESC LIMIT 1`, [d.key]);
    if (latest && latest.sha256 === d.sha256) return { row: latest, created: false };
    const [row]: DecisionRow[] = await em.query(
      `INSERT INTO engine_decision_definitions AS d (key, version, name, deployment_id, resource_name, sha256, xml, graph, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [d.key, (latest?.version ?? 0) + 1, d.name, deploymentId, d.resourceName, d.sha256, d.xml, JSON.stringify(d.graph), now.toISOString()],
    );
    return { row, created: true };
  }

  list(filter: { key?: string; latestOnly?: boolean }): Promise<DecisionRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM engine_decision_definitions d
        WHERE ($1::text IS NULL OR key = $1)
          AND (NOT $2 OR version = (SELECT max(version) FROM engine_decision_definitions x WHERE x.key = d.key))
        ORDER BY key, version DESC LIMIT 1000`,
      [filter.key ?? null, filter.latestOnly ?? false],
    );
  }

  async byId(id: string, em?: EntityManager): Promise<DecisionWithGraph | null> {
    const [row] = await (em ?? this.ds).query(`SELECT ${COLUMNS}, d.graph FROM engine_decision_definitions d WHERE id = $1`, [id]);
    return (row as DecisionWithGraph) ?? null;
  }

  /** The given version of a key, or its latest. */
  async byKey(key: string, version?: number, em?: EntityManager): Promise<DecisionWithGraph | null> {
    const [row] = await (em ?? this.ds).query(
      `SELECT ${COLUMNS}, d.graph FROM engine_decision_definitions d WHERE key = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [key, version ?? null],
    );
    return (row as DecisionWithGraph) ?? null;
  }

  async xml(id: string): Promise<string | null> {
    const [row] = await this.ds.query(`SELECT xml FROM engine_decision_definitions WHERE id = $1`, [id]);
    return row?.xml ?? null;
  }

  /** Which of these keys exist (any version). */
  async existing(keys: string[], em?: EntityManager): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows: { key: string }[] = await (em ?? this.ds).query(`SELECT DISTINCT key FROM engine_decision_definitions WHERE key = ANY($1::text[])`, [keys]);
    return new Set(rows.map((r) => r.key));
  }
}
