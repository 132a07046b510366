import type { Actor } from '../api';

/**
 * Who or what asked: a logged-in user (HTTP), or a process step (the BPMN service task that runs
 * the online comparison, named by instance and element). Recorded with every department call
 * and every status change.
 */
export type Caller = { kind: 'user'; userId: string; username: string } | { kind: 'process'; reference: string };

export function callerOf(actor: Pick<Actor, 'id' | 'username'>): Caller {
  return { kind: 'user', userId: actor.id, username: actor.username };
}

/** What is stored as the caller's reference: the username, or the process reference. */
export function callerRef(caller: Caller): string {
  return caller.kind === 'user' ? caller.username : caller.reference;
}
