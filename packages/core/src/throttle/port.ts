/**
 * The brute-force limiter as core sees it (implemented over Redis in
 * packages/jobs, shared by every web process). Modelled on Keycloak's
 * brute-force detection: unconfirmed attempts on an account count as
 * failures; enough of them within the window hold the account for a wait
 * that doubles with each hold until a quiet period resets it.
 */
export interface ThrottleLimits {
  /** An account is held once this many attempts failed within the window. */
  accountFailures: number;
  /** Attempts older than this stop counting (also the quiet period that resets the growing wait). */
  windowMs: number;
  /** Length of the first hold; each further hold doubles it, up to `maxHoldMs`. */
  holdMs: number;
  maxHoldMs: number;
  /** Credential attempts (any outcome) one address may make within the window. */
  ipAttempts: number;
}

export interface ThrottleKey {
  /** The client's address, or null when unknown (in-process calls). */
  ip: string | null;
  /** A normalised account name (lowercased email), or null for procedures with no account yet. */
  account: string | null;
}

export type Admission =
  | { ok: true; /** Identifies this attempt, to confirm it on success. */ ticket: string }
  | { ok: false; retryAfterMs: number; heldKind: 'account' | 'ip'; /** True for the attempt that started the hold (audit it once). */ newHold: boolean };

export interface ThrottleHold {
  kind: 'account' | 'ip';
  /** The email or the address. */
  key: string;
  until: Date;
}

export interface Throttle {
  /** Refuses while the account or the address is held; otherwise counts one attempt (atomically). */
  admit(key: ThrottleKey, limits: ThrottleLimits): Promise<Admission>;
  /** The attempt proved the password: it no longer counts against the account. */
  confirm(account: string, ticket: string): Promise<void>;
  /** Holds still in force, soonest end first. */
  holds(): Promise<ThrottleHold[]>;
  /** Ends a hold and forgets its counted attempts; false when there was none. */
  release(kind: 'account' | 'ip', key: string): Promise<boolean>;
  /** Counts one use of `key` in a fixed window; returns 0 while within `limit`, else the ms until the window ends. */
  countUse?(key: string, limit: number, windowMs: number): Promise<number>;
}

/** What core knows about the caller of a request, for limits and audit rows. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}
