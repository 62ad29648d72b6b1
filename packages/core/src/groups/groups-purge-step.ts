import { countsBySql, type PurgeStep } from '../deletion/purge-step.ts';

const COUNTS_SQL = `jsonb_build_object('groupMemberships', (select count(*) from group_members where user_id = u.id))`;

/**
 * A purged user's group memberships (the groups stay). Nothing adds one
 * after the claim (addMembers skips deleted users), so the step is skipped
 * when there are none; the users row's cascade would catch a straggler.
 */
export const groupsPurgeStep: PurgeStep = {
  name: 'groups',
  countsSql: COUNTS_SQL,
  pendingSql: `exists (select 1 from group_members where user_id = u.id)`,
  preview: ({ em }, userId) => countsBySql(em, COUNTS_SQL, userId),
  async run({ deps, userId }) {
    const [r] = await deps.em.execute<{ n: number }[]>(
      `with d as (delete from group_members where user_id = ? returning 1) select count(*)::int as n from d`,
      [userId],
    );
    return { groupMemberships: Number(r?.n ?? 0) };
  },
};
