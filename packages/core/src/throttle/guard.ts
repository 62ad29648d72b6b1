import { User } from '@roster/db';
import { recordAuditNow } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { RateLimitedError } from '../errors.ts';
import { getSettings, type InstanceSettings } from '../settings/instance-settings.ts';
import type { Admission, ThrottleKey, ThrottleLimits } from './port.ts';

export interface CredentialAttempt {
  /** The password was right: this attempt stops counting against the account. */
  confirm(): Promise<void>;
}

const MINUTE = 60_000;
const NOTHING_TO_CONFIRM: CredentialAttempt = { confirm: async () => {} };

export function throttleLimits(s: InstanceSettings): ThrottleLimits {
  return {
    accountFailures: s.lockoutFailures,
    windowMs: s.lockoutWindowMinutes * MINUTE,
    holdMs: s.lockoutWaitMinutes * MINUTE,
    maxHoldMs: Math.max(s.lockoutWaitMinutes, s.lockoutMaxWaitMinutes) * MINUTE,
    ipAttempts: s.ipAttemptLimit,
  };
}

/**
 * Called before any password work in every use case that checks or sets a
 * password: refuses with RATE_LIMITED (and its wait) while the account or
 * the caller's address is held, so a refused guess costs no Argon2 hash.
 * `account` is the email the attempt is about (null when there is none yet).
 *
 * With Redis unreachable the check fails open: sign-in must keep working
 * through a Redis outage (Argon2 still bounds the guessing rate), and the
 * outage is logged at most once a minute.
 */
export async function admitCredentialAttempt(deps: CoreDeps, account: string | null): Promise<CredentialAttempt> {
  const throttle = deps.throttle;
  if (!throttle) return NOTHING_TO_CONFIRM;
  const key: ThrottleKey = { ip: deps.client?.ip ?? null, account: account ? account.trim().toLowerCase() : null };
  const limits = throttleLimits(await getSettings(deps));
  let admission: Admission;
  try {
    admission = await throttle.admit(key, limits);
  } catch (err) {
    warnFailOpen(err);
    return NOTHING_TO_CONFIRM;
  }
  if (!admission.ok) {
    if (admission.newHold) await auditHold(deps, key, admission.heldKind, admission.retryAfterMs);
    throw new RateLimitedError(admission.retryAfterMs);
  }
  const { ticket } = admission;
  return {
    confirm: async () => {
      if (key.account) await throttle.confirm(key.account, ticket).catch(warnFailOpen);
    },
  };
}

/** One audit row per hold, not one per refused guess. Its own unit of work: the request is about to fail. */
async function auditHold(deps: CoreDeps, key: ThrottleKey, kind: 'account' | 'ip', retryAfterMs: number): Promise<void> {
  const user = kind === 'account' && key.account ? await deps.em.fork().findOne(User, { email: key.account }, { fields: ['id'] }) : null;
  await recordAuditNow(deps.em, {
    actorId: null,
    action: kind === 'account' ? 'auth.accountHeld' : 'auth.addressHeld',
    targetId: user?.id ?? null,
    details: { account: kind === 'account' ? key.account : undefined, ip: key.ip, userAgent: deps.client?.userAgent ?? null, seconds: Math.ceil(retryAfterMs / 1000) },
  });
}

let lastWarning = 0;
function warnFailOpen(err: unknown): void {
  const now = Date.now();
  if (now - lastWarning < MINUTE) return;
  lastWarning = now;
  console.warn(`brute-force limiter unavailable, letting credential checks through: ${(err as Error)?.message ?? err}`);
}
