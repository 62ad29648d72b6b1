import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@roster/db';

export const QUOTA_THRESHOLDS = [80, 90, 100] as const;
export const QUOTA_NOTIFICATION = 'storage.quota';

/** The highest threshold reached, computed in SQL on the locked row (bigint-safe: quotas are ≤ 2^50). */
const LEVEL = `case when quota_bytes is null then 0
  when usage_bytes >= quota_bytes then 100
  when usage_bytes * 10 >= quota_bytes * 9 then 90
  when usage_bytes * 10 >= quota_bytes * 8 then 80 else 0 end`;

/**
 * Call after every change of a user's usage, in the same transaction.
 *
 * The rule: users.quota_warned_percent remembers the highest threshold
 * already notified. When usage reaches a higher one, one notification is
 * recorded for the highest threshold reached (50 % → 95 % in one upload gives
 * the 90 % notice, not two). When usage falls (deletes, recalculation, a
 * transfer away) the remembered level falls with it, so crossing the same
 * threshold again notifies again. A quota change by an admin takes effect at
 * the next usage change. The conditional UPDATE serialises concurrent uploads
 * on the user row, so each crossing is recorded once.
 */
export async function syncQuotaWarnings(em: EntityManager, userId: string): Promise<number | null> {
  const rows = await em.execute<{ before: number; after: number; usage_bytes: string; quota_bytes: string | null }[]>(
    `update users set quota_warned_percent = ${LEVEL}
      where id = ? and quota_warned_percent <> ${LEVEL}
      returning old.quota_warned_percent as before, new.quota_warned_percent as after, usage_bytes, quota_bytes`,
    [userId],
  );
  const row = rows[0];
  if (!row || row.after <= row.before) return null;
  const usage = Number(row.usage_bytes);
  const quota = Number(row.quota_bytes);
  const message =
    row.after >= 100
      ? 'Your storage is full: uploads are refused until you free some space'
      : `You have used ${row.after} % of your storage quota`;
  await em.execute(`insert into notifications (id, user_id, kind, message, data) values (?, ?, ?, ?, ?)`, [
    randomUUID(),
    userId,
    QUOTA_NOTIFICATION,
    message,
    JSON.stringify({ percent: row.after, usageBytes: usage, quotaBytes: quota }),
  ]);
  return row.after;
}
