import type { Actor } from './actor';

/**
 * Who or what acts on a domain service: a logged-in user (HTTP), or a process step (the BPMN
 * service task that calls the service, named `process:<instance>/<element>`). Recorded with every
 * department call, status change, 公示 and waiting-list change, and in their audit rows.
 */
export type Caller = { kind: 'user'; userId: string; username: string } | { kind: 'process'; reference: string };

export function callerOf(actor: Pick<Actor, 'id' | 'username'>): Caller {
  return { kind: 'user', userId: actor.id, username: actor.username };
}

/** What is stored as the caller's reference: the username, or the process reference. */
export function callerRef(by: Caller): string {
  return by.kind === 'user' ? by.username : by.reference;
}

export function callerUserId(by: Caller): string | null {
  return by.kind === 'user' ? by.userId : null;
}
