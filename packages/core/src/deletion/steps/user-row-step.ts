import { createHash } from 'node:crypto';
import { recordAudit } from '../../audit/record-audit.ts';
import type { PurgeStep } from '../purge-step.ts';

type Row = {
  email: string;
  deleted_by_id: string | null;
  transfer_to_user_id: string | null;
  purge_counts: Record<string, number> | null;
  deleted_at: Date;
  purge_at: Date;
  purge_started_at: Date;
};

export const emailSha256 = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('hex');

/**
 * Last step: the audit record of the purge and the removal of the row, in
 * one transaction under the row lock, so the record is written exactly once
 * however often the step runs. The audit keeps no personal data: a hash of
 * the email lets an operator confirm "was this address purged?".
 */
export const userRowStep: PurgeStep = {
  name: 'user',
  preview: async () => ({}),
  run: ({ deps, userId, transferToUserId }) =>
    deps.em.transactional(async (em) => {
      const rows = await em.execute<Row[]>(
        `select email, deleted_by_id, transfer_to_user_id, purge_counts, deleted_at, purge_at, purge_started_at
           from users where id = ? and status = 'deleted' and purge_started_at is not null for update`,
        [userId],
      );
      const row = rows[0];
      if (!row) return { users: 0 };
      await em.execute(`delete from users where id = ?`, [userId], 'run');
      recordAudit(em, {
        actorId: row.deleted_by_id,
        action: 'user.purge',
        targetId: userId,
        details: {
          emailSha256: emailSha256(row.email),
          counts: row.purge_counts ?? {},
          transferredTo: transferToUserId ?? row.transfer_to_user_id,
          deletedAt: new Date(row.deleted_at).toISOString(),
          purgeAt: new Date(row.purge_at).toISOString(),
          startedAt: new Date(row.purge_started_at).toISOString(),
        },
      });
      return { users: 1 };
    }),
};
