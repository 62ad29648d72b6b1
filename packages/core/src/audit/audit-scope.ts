import { AsyncLocalStorage } from 'node:async_hooks';

/** Where the current request comes from, for the audit rows it writes. */
export interface AuditScope {
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
}

// One scope per procedure call (set in packages/api/src/procedures.ts), so the
// use cases that write audit rows need not be handed the request.
const store = new AsyncLocalStorage<AuditScope>();

/** Runs `fn` with `scope` as the origin of every audit row it records; jobs run outside any scope (actor: system). */
export function withAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return store.run(scope, fn);
}

export function currentAuditScope(): AuditScope | undefined {
  return store.getStore();
}
