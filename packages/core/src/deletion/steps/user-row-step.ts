import { createHash } from 'node:crypto';
import type { PurgeStep } from '../purge-step.ts';

/** The audit record's email digest (the same as the SQL below computes), for operators asking "was this address purged?". */
export const emailSha256 = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('hex');

/**
 * Last step: the row goes and the purge's audit record is written in one
 * statement, so the record exists exactly once however often the step runs
 * (a re-run finds no row and writes nothing). The record keeps no personal
 * data: the deleter, the user id, the email's SHA-256 and the counts the
 * purge found when it began. `files.owner_id` restricts: if any file row
 * were left, this fails and the job retries.
 */
export const userRowStep: PurgeStep = {
  name: 'user',
  preview: async () => ({}),
  async run({ deps, userId }) {
    const rows = await deps.em.execute<{ id: string }[]>(
      `with gone as (
         delete from users where id = ? and status = 'deleted' and purge_started_at is not null
         returning id, email, deleted_by_id, transfer_to_user_id, purge_counts, deleted_at, purge_at, purge_started_at)
       insert into audit_log (at, actor_id, action, target_id, details)
       select ?, deleted_by_id, 'user.purge', id, jsonb_build_object(
                'emailSha256', encode(sha256(convert_to(lower(email), 'UTF8')), 'hex'),
                'counts', coalesce(purge_counts, '{}'::jsonb),
                'transferredTo', transfer_to_user_id,
                'deletedAt', deleted_at, 'purgeAt', purge_at, 'startedAt', purge_started_at)
         from gone
       returning id`,
      [userId, deps.clock.now()],
    );
    return { users: rows.length };
  },
};
