import type { RunContext } from './cli/context.ts';
import { CliError, UsageError } from './cli/errors.ts';
import type { User } from './format/user.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Help text for every argument that names a user. */
export const USER_ARG = 'User id, or email address';

/** The user an argument names: an id as is, an email looked up (any status, so deleted users can be restored). */
export async function findUser(ctx: RunContext, ref: string): Promise<User> {
  if (UUID.test(ref)) return ctx.api().admin.users.get.query({ id: ref.toLowerCase() });
  return findByEmail(ctx, ref);
}

/** Like findUser, but an id costs no request. */
export async function resolveUserId(ctx: RunContext, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref.toLowerCase();
  return (await findByEmail(ctx, ref)).id;
}

async function findByEmail(ctx: RunContext, ref: string): Promise<User> {
  const email = ref.trim().toLowerCase();
  if (!email.includes('@')) throw new UsageError(`"${ref}" is neither a user id nor an email address`, 'ids look like 0b5c…-…; `roster users list --wide` shows them');
  const { items } = await ctx.api().admin.users.list.query({
    query: email,
    statuses: ['active', 'suspended', 'deleted'],
    page: 1,
    pageSize: 100,
  });
  const user = items.find((u) => u.email.toLowerCase() === email);
  if (!user) throw new CliError('USER_NOT_FOUND', `no user with the email ${email}`, 'check it with `roster users list --query TEXT`');
  return user;
}
