import type { EntityManager } from '@roster/db';
import type { PurgeStep } from '../purge-step.ts';

const count = async (em: EntityManager, sql: string, params: unknown[]) =>
  Number((await em.execute<{ n: string }[]>(sql, params))[0]?.n ?? 0);
const run = async (em: EntityManager, sql: string, params: unknown[]) =>
  ((await em.execute(sql, params, 'run')) as { affectedRows: number }).affectedRows;

/**
 * The small per-user tables. Each step is one statement scoped to the purged
 * user's id (a user has few such rows), so it commits on its own and is a
 * no-op when re-run after a crash.
 */
export const sessionsStep: PurgeStep = {
  name: 'sessions',
  preview: async ({ em }, userId) => ({
    sessions: await count(em, `select count(*) as n from sessions where user_id = ?`, [userId]),
  }),
  run: async ({ deps, userId }) => ({ sessions: await run(deps.em, `delete from sessions where user_id = ?`, [userId]) }),
};

/**
 * Invitations the user sent that were never accepted. Accepted ones record
 * how another account came to be; they stay, and the foreign key clears
 * their inviter when the user row goes.
 */
export const invitationsStep: PurgeStep = {
  name: 'invitations',
  preview: async ({ em }, userId) => ({
    invitations: await count(em, `select count(*) as n from invitations where invited_by_id = ? and accepted_at is null`, [userId]),
  }),
  run: async ({ deps, userId }) => ({
    invitations: await run(deps.em, `delete from invitations where invited_by_id = ? and accepted_at is null`, [userId]),
  }),
};

export const resetTokensStep: PurgeStep = {
  name: 'resetTokens',
  preview: async ({ em }, userId) => ({
    resetTokens: await count(em, `select count(*) as n from password_reset_tokens where user_id = ?`, [userId]),
  }),
  run: async ({ deps, userId }) => ({
    resetTokens: await run(deps.em, `delete from password_reset_tokens where user_id = ?`, [userId]),
  }),
};
