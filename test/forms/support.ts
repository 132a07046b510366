import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from '../support/app';

export const FORM_FIXTURES = join(__dirname, '../fixtures/forms');

export function formFixture(name: string): string {
  return readFileSync(join(FORM_FIXTURES, name), 'utf8');
}

/** The fixture form with changes: a new version of the same form id. */
export function changedForm(name: string, change: (schema: Record<string, unknown>) => void): string {
  const schema = JSON.parse(formFixture(name));
  change(schema);
  return JSON.stringify(schema, null, 2);
}

/** An instance's open task at an element, read from the table (the queue API belongs to the task module). */
export async function openTask(t: TestApp, instanceId: string, elementId: string): Promise<{ id: string; formKey: string | null; createdAt: Date }> {
  const [row] = await t.ds.query(
    `SELECT id, form_key AS "formKey", created_at AS "createdAt" FROM user_tasks WHERE instance_id = $1 AND element_id = $2 AND status = 'open'`,
    [instanceId, elementId],
  );
  if (!row) throw new Error(`no open task ${elementId} in ${instanceId}`);
  return row;
}

export interface Problem {
  elementId?: string;
  code: string;
  message: string;
}
