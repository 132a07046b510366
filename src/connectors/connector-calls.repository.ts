import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Department } from '../identity';
import { Caller, callerRef } from './caller';
import { CheckResult, CheckType, Label } from './department-checks';

/** One recorded department call (table connector_calls, append-only). */
export interface ConnectorCall {
  id: string;
  applicationId: string;
  memberId: string;
  /** the authorisation (授权查询) the call was made under */
  authorisationId: string;
  department: Department;
  check: CheckType;
  result: CheckResult;
  /** what the department answered (never a name or an ID number) */
  data: unknown;
  message: Label;
  connectorSet: string;
  simulated: boolean;
  caller: { kind: Caller['kind']; userId: string | null; reference: string };
  calledAt: Date;
  durationMs: number;
}

export type NewConnectorCall = Omit<ConnectorCall, 'id' | 'caller'> & { caller: Caller };

interface Row {
  id: string;
  application_id: string;
  member_id: string;
  authorisation_id: string;
  department: Department;
  check_type: CheckType;
  result: CheckResult;
  department_data: unknown;
  message_zh: string;
  message_en: string;
  connector_set: string;
  simulated: boolean;
  caller_kind: Caller['kind'];
  caller_user_id: string | null;
  caller_ref: string;
  called_at: Date;
  duration_ms: number;
}

@Injectable()
export class ConnectorCallsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Appends the calls in one statement (in the caller's transaction when `em` is one). */
  async insertAll(em: EntityManager, calls: NewConnectorCall[]): Promise<ConnectorCall[]> {
    if (!calls.length) return [];
    const ids = calls.map(() => randomUUID());
    const col = <T>(f: (c: NewConnectorCall) => T) => calls.map(f);
    await em.query(
      `INSERT INTO connector_calls (id, application_id, member_id, authorisation_id, department, check_type, result, department_data,
                                    message_zh, message_en, connector_set, simulated, caller_kind, caller_user_id, caller_ref, called_at, duration_ms)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
                            $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::uuid[], $15::text[], $16::timestamptz[], $17::int[])`,
      [
        ids,
        col((c) => c.applicationId),
        col((c) => c.memberId),
        col((c) => c.authorisationId),
        col((c) => c.department),
        col((c) => c.check),
        col((c) => c.result),
        col((c) => (c.data === null || c.data === undefined ? null : JSON.stringify(c.data))),
        col((c) => c.message['zh-CN']),
        col((c) => c.message.en),
        col((c) => c.connectorSet),
        col((c) => c.simulated),
        col((c) => c.caller.kind),
        col((c) => (c.caller.kind === 'user' ? c.caller.userId : null)),
        col((c) => callerRef(c.caller)),
        col((c) => c.calledAt.toISOString()),
        col((c) => c.durationMs),
      ],
    );
    return calls.map((c, i) => ({
      ...c,
      id: ids[i],
      data: c.data ?? null,
      caller: { kind: c.caller.kind, userId: c.caller.kind === 'user' ? c.caller.userId : null, reference: callerRef(c.caller) },
    }));
  }

  /** Every call made for an application, oldest first. */
  async listByApplication(applicationId: string, em?: EntityManager): Promise<ConnectorCall[]> {
    const rows: Row[] = await (em ?? this.ds).query(
      `SELECT * FROM connector_calls WHERE application_id = $1 ORDER BY called_at, member_id, check_type, id`,
      [applicationId],
    );
    return rows.map(toCall);
  }
}

function toCall(r: Row): ConnectorCall {
  return {
    id: r.id,
    applicationId: r.application_id,
    memberId: r.member_id,
    authorisationId: r.authorisation_id,
    department: r.department,
    check: r.check_type,
    result: r.result,
    data: r.department_data,
    message: { 'zh-CN': r.message_zh, en: r.message_en },
    connectorSet: r.connector_set,
    simulated: r.simulated,
    caller: { kind: r.caller_kind, userId: r.caller_user_id, reference: r.caller_ref },
    calledAt: new Date(r.called_at),
    durationMs: r.duration_ms,
  };
}
