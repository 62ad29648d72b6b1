import { countsBySql, type PurgeStep } from '../purge-step.ts';

type Counts = { sessions: string; invitations: string; resetTokens: string };

const COUNTS_SQL = `jsonb_build_object(
  'sessions', (select count(*) from sessions where user_id = u.id),
  'invitations', (select count(*) from invitations where invited_by_id = u.id and accepted_at is null),
  'resetTokens', (select count(*) from password_reset_tokens where user_id = u.id))`;

/**
 * The user's small per-account tables in one statement (one round trip, one
 * commit; a purge's cost is mostly round trips): sessions, invitations they
 * sent that were never accepted, and reset links. Accepted invitations
 * record how another account came to be; they stay, and the foreign key
 * clears their inviter when the user row goes. Re-running it is a no-op.
 * Group memberships have their own step (groups/groups-purge-step.ts); API keys will too.
 */
export const accountStep: PurgeStep = {
  name: 'account',
  countsSql: COUNTS_SQL,
  preview: ({ em }, userId) => countsBySql(em, COUNTS_SQL, userId),
  async run({ deps, userId }) {
    const [r] = await deps.em.execute<Counts[]>(
      `with s as (delete from sessions where user_id = ? returning 1),
            i as (delete from invitations where invited_by_id = ? and accepted_at is null returning 1),
            r as (delete from password_reset_tokens where user_id = ? returning 1)
       select (select count(*) from s) as sessions, (select count(*) from i) as invitations, (select count(*) from r) as "resetTokens"`,
      [userId, userId, userId],
    );
    return { sessions: Number(r?.sessions ?? 0), invitations: Number(r?.invitations ?? 0), resetTokens: Number(r?.resetTokens ?? 0) };
  },
};
