import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Department, PersonalDataService } from '../identity';
import { Caller, callerRef } from '../api';
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
  /** what the department answered (never a name or an ID number; income, assets, 低保 status: stored sealed) */
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
  /** identity's envelope (field `facts`) of the answer's JSON; null when the department answered nothing */
  department_data_enc: string | null;
  /** identity's envelope (field `facts`) of the message's JSON {zh-CN, en}: it quotes the answer (income, homes, 低保 status) */
  message_enc: string;
  connector_set: string;
  simulated: boolean;
  caller_kind: Caller['kind'];
  caller_user_id: string | null;
  caller_ref: string;
  called_at: Date;
  duration_ms: number;
}

/** The field name the envelopes of department answers are bound to (the same as the applications' household facts). */
const DATA_FIELD = 'facts';

/**
 * connector_calls, append-only. A department's answer holds what the data rules call sensitive
 * (income, vehicles, property, enterprises, 低保/特困 status, social insurance): it is stored only
 * encrypted (`department_data_enc`), and opened when the calls are read for an authorised caller.
 */
@Injectable()
export class ConnectorCallsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly personal: PersonalDataService,
  ) {}

  /** Appends the calls in one statement (in the caller's transaction when `em` is one). */
  async insertAll(em: EntityManager, calls: NewConnectorCall[]): Promise<ConnectorCall[]> {
    if (!calls.length) return [];
    const ids = calls.map(() => randomUUID());
    const col = <T>(f: (c: NewConnectorCall) => T) => calls.map(f);
    await em.query(
      `INSERT INTO connector_calls (id, application_id, member_id, authorisation_id, department, check_type, result, department_data_enc,
                                    message_enc, connector_set, simulated, caller_kind, caller_user_id, caller_ref, called_at, duration_ms)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::text[], $11::boolean[], $12::text[], $13::uuid[], $14::text[], $15::timestamptz[], $16::int[])`,
      [
        ids,
        col((c) => c.applicationId),
        col((c) => c.memberId),
        col((c) => c.authorisationId),
        col((c) => c.department),
        col((c) => c.check),
        col((c) => c.result),
        col((c) => (c.data === null || c.data === undefined ? null : this.personal.protect(DATA_FIELD, JSON.stringify(c.data)).enc)),
        col((c) => this.personal.protect(DATA_FIELD, JSON.stringify(c.message)).enc),
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
    return rows.map((r) =>
      toCall(r, r.department_data_enc === null ? null : JSON.parse(this.personal.decryptForUse(DATA_FIELD, r.department_data_enc)), JSON.parse(this.personal.decryptForUse(DATA_FIELD, r.message_enc)) as Label),
    );
  }
}

function toCall(r: Row, data: unknown, message: Label): ConnectorCall {
  return {
    id: r.id,
    applicationId: r.application_id,
    memberId: r.member_id,
    authorisationId: r.authorisation_id,
    department: r.department,
    check: r.check_type,
    result: r.result,
    data,
    message: { 'zh-CN': message['zh-CN'], en: message.en },
    connectorSet: r.connector_set,
    simulated: r.simulated,
    caller: { kind: r.caller_kind, userId: r.caller_user_id, reference: r.caller_ref },
    calledAt: new Date(r.called_at),
    durationMs: r.duration_ms,
  };
}
