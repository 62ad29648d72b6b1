import type { EntityManager } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { toAdminUser, type UserRow } from '../users/dto.ts';
import type { DeliveryRow } from './deliveries.ts';
import type { EndpointRow } from './endpoints.ts';
import { WEBHOOK_TEST_EVENT } from './events.ts';

/** An endpoint with no success since its first failure this long ago is disabled. */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * 3600_000;
export const WEBHOOK_DISABLED_NOTIFICATION = 'webhook.disabled';

export type DeliveryWork = DeliveryRow & { endpoint: Pick<EndpointRow, 'id' | 'url' | 'secret' | 'enabled' | 'allow_private_network'> };

/** The delivery and its endpoint, or null when there is nothing left to send (delivered, endpoint gone). */
export async function loadDelivery(em: EntityManager, id: string): Promise<DeliveryWork | null> {
  const [row] = await em.execute<(DeliveryRow & { url: string; secret: string; enabled: boolean; allow_private_network: boolean })[]>(
    `select d.*, e.url, e.secret, e.enabled, e.allow_private_network
       from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.id = ?`,
    [id],
  );
  if (!row || row.status === 'succeeded') return null;
  const { url, secret, enabled, allow_private_network, ...d } = row;
  return { ...d, endpoint: { id: d.endpoint_id, url, secret, enabled, allow_private_network } };
}

/** The JSON body, the same on every attempt: `data` is the user as admin.users.get returns it, or the group. */
export function webhookBody(d: Pick<DeliveryRow, 'event' | 'occurred_at' | 'data'>): string {
  const at = new Date(d.occurred_at);
  const raw = d.data as { user?: UserRow & { purgedAt?: string }; percent?: number; scrubbed?: boolean };
  let data: unknown = d.data;
  // Purged: the row is gone; scrubbed: the purge left only the id (a replay after a purge sends no personal data).
  if (d.event === 'user.purged' || raw.scrubbed) data = raw.user;
  else if (d.event === 'quota.warning') data = { ...toAdminUser(raw.user!, at), quotaPercent: raw.percent };
  else if (d.event.startsWith('user.') && raw.user) data = toAdminUser(raw.user, at);
  return JSON.stringify({ type: d.event, timestamp: at.toISOString(), data });
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** No retry follows (last attempt, or a refusal that retrying cannot fix). */
  final: boolean;
}

/**
 * Records one attempt on the delivery and the endpoint's health, in one
 * transaction. A failure starts (or continues) the endpoint's failure streak;
 * when the streak is a day old with no success, the endpoint is disabled,
 * audited, and every active admin gets a notification.
 */
export async function recordAttempt(deps: { em: EntityManager; clock: Clock }, work: DeliveryWork, out: AttemptOutcome): Promise<{ disabled: boolean }> {
  const now = deps.clock.now();
  return deps.em.transactional(async (em) => {
    const status = out.ok ? 'succeeded' : out.final ? 'failed' : 'queued';
    await em.execute(
      `update webhook_deliveries set attempts = attempts + 1, status = ?, last_status_code = ?, last_error = ?, last_attempt_at = ?,
         delivered_at = case when ? then ?::timestamptz else delivered_at end where id = ?`,
      [status, out.statusCode, out.error?.slice(0, 500) ?? null, now, out.ok, now, work.id],
    );
    if (work.event === WEBHOOK_TEST_EVENT && !out.ok) return { disabled: false }; // a test against a broken receiver says so in its log, nothing more
    if (out.ok) {
      await em.execute(`update webhook_endpoints set last_success_at = ?, first_failure_at = null where id = ?`, [now, work.endpoint.id]);
      return { disabled: false };
    }
    const [ep] = await em.execute<{ first_failure_at: Date; enabled: boolean; url: string }[]>(
      `update webhook_endpoints set first_failure_at = coalesce(first_failure_at, ?) where id = ? returning first_failure_at, enabled, url`,
      [now, work.endpoint.id],
    );
    if (!ep || !ep.enabled || now.getTime() - new Date(ep.first_failure_at).getTime() < WEBHOOK_DISABLE_AFTER_MS) return { disabled: false };
    const reason = `No successful delivery since ${new Date(ep.first_failure_at).toISOString()}; last error: ${out.error ?? `HTTP ${out.statusCode}`}`.slice(0, 500);
    await em.execute(`update webhook_endpoints set enabled = false, disabled_reason = ?, updated_at = ? where id = ?`, [reason, now, work.endpoint.id]);
    await em.execute(
      `insert into notifications (id, user_id, kind, message, data)
       select gen_random_uuid(), id, ?, ?, ?::jsonb from users where role in ('owner', 'admin') and status = 'active'`,
      [WEBHOOK_DISABLED_NOTIFICATION, `The webhook to ${ep.url} was disabled after a day of failed deliveries`, JSON.stringify({ webhookId: work.endpoint.id, url: ep.url, reason })],
    );
    recordAudit(em, { actorId: null, action: 'webhook.disable', details: { webhookId: work.endpoint.id, url: ep.url, reason } });
    return { disabled: true };
  });
}

/** A delivery that will not be attempted (its endpoint was disabled meanwhile): closed in the log with the reason. */
export async function closeDelivery(em: EntityManager, id: string, reason: string): Promise<void> {
  await em.execute(`update webhook_deliveries set status = 'failed', last_error = ? where id = ? and status <> 'succeeded'`, [reason, id]);
}
