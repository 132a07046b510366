import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DefinitionMeta } from './element-meta';
import type { ExtensionSchema } from './bpmn-schema';
import type { DeployProblem } from './validate-bpmn';

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deploymentId: string;
  resourceName: string;
  sha256: string;
  extensionSchema: ExtensionSchema;
  warnings: DeployProblem[];
  createdAt: Date;
}

export interface NewDefinition {
  key: string;
  name: string | null;
  resourceName: string;
  sha256: string;
  xml: string;
  sourceContext: unknown;
  meta: DefinitionMeta;
  extensionSchema: ExtensionSchema;
  warnings: DeployProblem[];
}

const COLUMNS = `id, key, version, name, deployment_id AS "deploymentId", resource_name AS "resourceName", sha256,
  extension_schema AS "extensionSchema", warnings, created_at AS "createdAt"`;

@Injectable()
export class DefinitionsRepository {
  constructor(private readonly ds: DataSource) {}

  async createDeployment(em: EntityManager, name: string, origin: 'api' | 'boot', actor: string | null): Promise<string> {
    const [row] = await em.query(`INSERT INTO engine_deployments (name, origin, deployed_by) VALUES ($1, $2, $3) RETURNING id`, [name, origin, actor]);
    return row.id as string;
  }

  /** Inserts version n+1 of a key, or returns the latest when its content is identical. Holds an advisory lock per key. */
  async insertVersion(em: EntityManager, deploymentId: string, d: NewDefinition): Promise<{ row: DefinitionRow; created: boolean }> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('engine_process_definitions:' || $1))`, [d.key]);
    const [latest] = await em.query(`SELECT ${COLUMNS} FROM engine_process_definitions WHERE key = $1 ORDER BY version DESC LIMIT 1`, [d.key]);
    if (latest && latest.sha256 === d.sha256) return { row: latest as DefinitionRow, created: false };
    const [row] = await em.query(
      `INSERT INTO engine_process_definitions
         (key, version, name, deployment_id, resource_name, sha256, xml, source_context, element_meta, extension_schema, warnings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        d.key,
        (latest?.version ?? 0) + 1,
        d.name,
        deploymentId,
        d.resourceName,
        d.sha256,
        d.xml,
        JSON.stringify(d.sourceContext),
        JSON.stringify(d.meta),
        d.extensionSchema,
        JSON.stringify(d.warnings),
      ],
    );
    return { row: row as DefinitionRow, created: true };
  }

  async findById(id: string, em: EntityManager | DataSource = this.ds): Promise<DefinitionRow | null> {
    const [row] = await em.query(`SELECT ${COLUMNS} FROM engine_process_definitions WHERE id = $1`, [id]);
    return (row as DefinitionRow) ?? null;
  }

  async findLatest(key: string, em: EntityManager | DataSource = this.ds): Promise<DefinitionRow | null> {
    const [row] = await em.query(`SELECT ${COLUMNS} FROM engine_process_definitions WHERE key = $1 ORDER BY version DESC LIMIT 1`, [key]);
    return (row as DefinitionRow) ?? null;
  }

  async findVersion(key: string, version: number, em: EntityManager | DataSource = this.ds): Promise<DefinitionRow | null> {
    const [row] = await em.query(`SELECT ${COLUMNS} FROM engine_process_definitions WHERE key = $1 AND version = $2`, [key, version]);
    return (row as DefinitionRow) ?? null;
  }

  async list(filter: { key?: string; latestOnly?: boolean }): Promise<DefinitionRow[]> {
    const rows = await this.ds.query(
      `SELECT ${COLUMNS} FROM engine_process_definitions d
        WHERE ($1::text IS NULL OR key = $1)
          AND (NOT $2 OR version = (SELECT max(version) FROM engine_process_definitions x WHERE x.key = d.key))
        ORDER BY key, version DESC`,
      [filter.key ?? null, filter.latestOnly ?? false],
    );
    return rows as DefinitionRow[];
  }

  async loadSource(id: string, em: EntityManager | DataSource = this.ds): Promise<{ xml: string; sourceContext: unknown; meta: DefinitionMeta } | null> {
    const [row] = await em.query(`SELECT xml, source_context, element_meta FROM engine_process_definitions WHERE id = $1`, [id]);
    return row ? { xml: row.xml, sourceContext: row.source_context, meta: row.element_meta } : null;
  }

  /** Latest definitions whose start event waits for this message (or signal) name. */
  async findByStartEvent(kind: 'startMessage' | 'startSignal', name: string, em?: EntityManager): Promise<DefinitionRow[]> {
    return (em ?? this.ds).query(
      `SELECT ${COLUMNS} FROM engine_process_definitions d
        WHERE version = (SELECT max(version) FROM engine_process_definitions x WHERE x.key = d.key)
          AND EXISTS (SELECT 1 FROM jsonb_each(element_meta->'elements') e WHERE e.value->>$2 = $1)
        ORDER BY key`,
      [name, kind],
    );
  }
}
