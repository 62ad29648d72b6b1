import type { RunContext } from './cli/context.ts';
import { CliError } from './cli/errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Help text for every argument that names a group. */
export const GROUP_ARG = 'Group name (any case), or id';

interface Named {
  id: string;
  name: string;
}

/**
 * The id of the group an argument names: an id as is (no request), a name
 * matched case-insensitively, as the server keeps names unique, among the
 * groups the caller can see (all of them for admins, their own for managers).
 */
export async function resolveGroupId(ref: string, groups: () => Promise<readonly Named[]>): Promise<string> {
  if (UUID.test(ref)) return ref.toLowerCase();
  return (await findGroup(ref, groups)).id;
}

export async function findGroup<G extends Named>(ref: string, groups: () => Promise<readonly G[]>): Promise<G> {
  const all = await groups();
  const wanted = ref.trim().toLowerCase();
  const found = all.find((g) => g.id === wanted || g.name.toLowerCase() === wanted);
  if (!found) throw new CliError('GROUP_NOT_FOUND', `no group named "${ref.trim()}"`, 'check the name with `roster groups list` (managers: `roster groups mine`)');
  return found;
}

const listed = new WeakMap<RunContext, ReturnType<typeof listGroups>>();
const listGroups = async (ctx: RunContext) => (await ctx.api().admin.groups.list.query()).items;

/** Every group, for admins; fetched once per command, however many group arguments it resolves. */
export const allGroups = (ctx: RunContext) => () => listed.get(ctx) ?? listed.set(ctx, listGroups(ctx)).get(ctx)!;
