import type { EntityManager } from '@roster/db';
import type { PurgeStep } from '../purge-step.ts';

type Counts = { sessions: string; invitations: string; resetTokens: string };
const toNumbers = (r: Counts | undefined) => ({
  sessions: Number(r?.sessions ?? 0),
  invitations: Number(r?.invitations ?? 0),
  resetTokens: Number(r?.resetTokens ?? 0),
});
const one = async (em: EntityManager, sql: string, userId: string) => toNumbers((await em.execute<Counts[]>(sql, [userId, userId, userId]))[0]);

/**
 * The user's small per-account tables in one statement (one round trip, one
 * commit; a purge's cost is mostly round trips): sessions, invitations they
 * sent that were never accepted, and reset links. Accepted invitations
 * record how another account came to be; they stay, and the foreign key
 * clears their inviter when the user row goes. Re-running it is a no-op.
 * Group memberships and API keys get steps of their own when they exist.
 */
export const accountStep: PurgeStep = {
  name: 'account',
  preview: ({ em }, userId) =>
    one(
      em,
      `select (select count(*) from sessions where user_id = ?) as sessions,
              (select count(*) from invitations where invited_by_id = ? and accepted_at is null) as invitations,
              (select count(*) from password_reset_tokens where user_id = ?) as "resetTokens"`,
      userId,
    ),
  run: ({ deps, userId }) =>
    one(
      deps.em,
      `with s as (delete from sessions where user_id = ? returning 1),
            i as (delete from invitations where invited_by_id = ? and accepted_at is null returning 1),
            r as (delete from password_reset_tokens where user_id = ? returning 1)
       select (select count(*) from s) as sessions, (select count(*) from i) as invitations, (select count(*) from r) as "resetTokens"`,
      userId,
    ),
};
