import type { Actor } from '../api';

/**
 * Who acts: a user over HTTP, or a process step (`process:<instance>/<element>`) when the
 * application process calls a service. The same shape as connectors' Caller, so workflows/ can
 * pass the one it builds.
 */
export type Caller = { kind: 'user'; userId: string; username: string } | { kind: 'process'; reference: string };

export function callerOf(actor: Pick<Actor, 'id' | 'username'>): Caller {
  return { kind: 'user', userId: actor.id, username: actor.username };
}

export function callerRef(by: Caller): string {
  return by.kind === 'user' ? by.username : by.reference;
}

export function callerUserId(by: Caller): string | null {
  return by.kind === 'user' ? by.userId : null;
}
