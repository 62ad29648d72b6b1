import { countsBySql, type PurgeStep } from '../deletion/purge-step.ts';

const COUNTS_SQL = `jsonb_build_object('apiKeys', (select count(*) from api_keys where user_id = u.id))`;

/**
 * A purged user's API keys, revoked or not (counted in the deletion
 * preview). They stopped validating when the user was deleted (only active
 * users' keys do); the users row's cascade would catch a straggler.
 */
export const apiKeysPurgeStep: PurgeStep = {
  name: 'apiKeys',
  countsSql: COUNTS_SQL,
  pendingSql: `exists (select 1 from api_keys where user_id = u.id)`,
  preview: ({ em }, userId) => countsBySql(em, COUNTS_SQL, userId),
  async run({ deps, userId }) {
    const [r] = await deps.em.execute<{ n: number }[]>(
      `with d as (delete from api_keys where user_id = ? returning 1) select count(*)::int as n from d`,
      [userId],
    );
    return { apiKeys: Number(r?.n ?? 0) };
  },
};
