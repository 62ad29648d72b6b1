import type { CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordPurgeFailure } from './purge-failure.ts';
import { leaseUntilSql, PurgeBusyError } from './purge-lease.ts';
import type { PurgeStep } from './purge-step.ts';
import { assertTransferTarget } from './transfer-target.ts';

/** A BullMQ delay may end a hair before purge_at; this much early still counts as due. */
const DUE_TOLERANCE_MS = 250;

export type Claim =
  | {
      outcome: 'claimed';
      resumed: boolean;
      counts: Record<string, number>;
      transferToUserId: string | null;
      /** Per step of the plan: false when its `pendingSql` found nothing to do. */
      pending: boolean[];
    }
  | { outcome: 'gone' }
  | { outcome: 'not-deleted' }
  /** `dueInMs`: from the database's clock, so a worker whose own clock is off still waits the right time. */
  | { outcome: 'not-due'; purgeAt: Date; dueInMs: number };

type Claimed = { purge_counts: Record<string, number>; transfer_to_user_id: string | null; fresh: boolean; pending: boolean[] };
type Row = { status: string; purge_at: Date | null; transfer_to_user_id: string | null; leased: boolean; not_due: boolean; due_in_ms: string };

export async function previewCounts(deps: CoreDeps, userId: string, plan: readonly PurgeStep[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const step of plan) for (const [k, v] of Object.entries(await step.preview(deps, userId))) counts[k] = (counts[k] ?? 0) + v;
  return counts;
}

/**
 * Re-checks the row (the source of truth), marks the purge as begun and
 * takes its lease, in one conditional update: deleted, not leased by a live
 * worker, and either begun already (a resumed purge keeps its first start
 * time and counts) or due with a valid transfer target. It takes the row
 * lock, so it races fairly with restore; once purge_started_at is set,
 * restore is refused. The same statement takes the counts (the steps'
 * `countsSql`, kept from when the purge began, so the audit reports what
 * the user had even if a crash splits the purge) and asks each step whether
 * it has anything to do (`pendingSql`): a purge is mostly round trips, and
 * this saves one per step with counts and per step with nothing to do.
 * Due times, start times and leases are all the database's `now()`: one
 * clock for every worker, whatever their own clocks say.
 */
export async function claimPurge(
  deps: CoreDeps,
  userId: string,
  plan: readonly PurgeStep[],
  lease: { owner: string; ms: number },
): Promise<Claim> {
  // Steps without SQL counts are asked first (the user row step has none and costs nothing).
  const otherCounts = await previewCounts(deps, userId, plan.filter((s) => !s.countsSql));
  const counts = ['?::jsonb', ...plan.flatMap((s) => (s.countsSql ? [s.countsSql] : []))].join(' || ');
  const pending = `array[${plan.map((s) => s.pendingSql ?? 'true').join(', ')}]`;
  // The steps' questions in a CTE (an init plan): inside the update's own expressions they cost PostgreSQL 45 % more.
  const [claimed] = await deps.em.fork().execute<Claimed[]>(
    `with steps as (select ${counts} as counts, ${pending} as pending from (select ?::uuid as id) u)
     update users u set purge_started_at = coalesce(purge_started_at, now()), purge_counts = coalesce(purge_counts, (select counts from steps)),
            purge_lease_owner = ?, purge_lease_until = ${leaseUntilSql}
      where id = ? and status = 'deleted' and (purge_lease_until is null or purge_lease_until < now())
        and (purge_started_at is not null or (purge_at <= now() + make_interval(secs => ?) and (transfer_to_user_id is null or exists (
              select 1 from users t where t.id = u.transfer_to_user_id and t.id <> u.id and t.status = 'active'))))
      returning purge_counts, transfer_to_user_id, purge_started_at = now() as fresh, (select pending from steps) as pending`,
    [JSON.stringify(otherCounts), userId, lease.owner, lease.ms / 1000, userId, DUE_TOLERANCE_MS / 1000],
  );
  if (claimed) {
    const { purge_counts, transfer_to_user_id: transferToUserId, fresh, pending } = claimed;
    return { outcome: 'claimed', resumed: !fresh, counts: purge_counts, transferToUserId, pending };
  }
  return whyNotClaimed(deps, userId);
}

async function whyNotClaimed(deps: CoreDeps, userId: string): Promise<Claim> {
  const [row] = await deps.em.fork().execute<Row[]>(
    `select status, purge_at, transfer_to_user_id, purge_lease_until >= now() as leased,
            purge_at > now() + make_interval(secs => ?) as not_due, ceil(extract(epoch from purge_at - now()) * 1000) as due_in_ms
       from users where id = ?`,
    [DUE_TOLERANCE_MS / 1000, userId],
  );
  if (!row) return { outcome: 'gone' };
  if (row.status !== 'deleted') return { outcome: 'not-deleted' };
  if (row.leased) throw new PurgeBusyError(userId);
  if (row.not_due) return { outcome: 'not-due', purgeAt: new Date(row.purge_at!), dueInMs: Number(row.due_in_ms) };
  if (row.transfer_to_user_id) await blockOnTarget(deps, userId, row.transfer_to_user_id);
  // Changed between the update and this read (restored and deleted again): let the queue try again.
  throw new Error(`The purge of ${userId} could not be claimed; retrying`);
}

/**
 * Decision: a transfer target that is no longer valid at purge time blocks
 * the purge instead of falling back to plain deletion, because the admin
 * asked to keep that data. Nothing is removed, the user stays deleted and
 * restorable, and the audit log says why, once (the row is marked failed
 * and the sweeps leave it alone); restore and delete again (with another
 * target or none) to go on.
 */
async function blockOnTarget(deps: CoreDeps, userId: string, targetId: string): Promise<void> {
  try {
    await assertTransferTarget(deps.em.fork(), userId, targetId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await recordPurgeFailure(deps, userId, 'user.purge.blocked', err.message, { transferToUserId: targetId });
    throw err;
  }
}
