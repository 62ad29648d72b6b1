import { randomBytes } from 'node:crypto';
import type { Actor, CoreDeps } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import type { RedisServer } from '@roster/jobs/redis-server';
import { createTestApi, TestJar, withOwner, OWNER, type TestApi } from './api.ts';
import { openQueue, startOwnRedis } from './worker.ts';

export const PASSWORD = 'correct horse battery';

/**
 * What the deletion suites share: a fresh database, a redis-server of their
 * own (their jobs never reach another file's worker), the owner, and
 * helpers to make users with something to purge.
 */
export async function deletionFixture() {
  const redis = await startOwnRedis();
  let redisNow: RedisServer = redis;
  const api: TestApi = await createTestApi({ redisUrl: redis.url });
  const ownerJar = await withOwner(api);
  const q = openQueue(redis.url);
  const deps = (): CoreDeps => ({
    em: api.services.orm.em.fork() as EntityManager,
    clock: api.services.clock,
    sessions: api.services.sessions,
    jobs: api.services.jobs,
    dataDir: api.services.dataDir,
  });
  const sql = <T = Record<string, unknown>[]>(q: string, params: unknown[] = []) => deps().em.execute(q, params) as Promise<T>;
  const actor = async (id: string): Promise<Actor> => {
    const u = await deps().em.findOneOrFail(User, id);
    return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: u.mustChangePassword };
  };
  const owner = await actor((await sql<{ id: string }[]>(`select id from users where role = 'owner'`))[0]!.id);
  let n = 0;
  /** A user with a signed-in session, two pending invitations they sent and an unused reset link. */
  const makeUser = async (opts: { role?: 'user' | 'admin'; storageLabel?: string } = {}) => {
    const email = `u${++n}-${randomBytes(3).toString('hex')}@example.com`;
    const { user } = await api.as(ownerJar).admin.users.create({
      email,
      name: `User ${n}`,
      password: PASSWORD,
      role: opts.role ?? 'user',
      mustChangePassword: false,
      storageLabel: opts.storageLabel ?? null,
    });
    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email, password: PASSWORD });
    for (let i = 0; i < 2; i++)
      await sql(
        `insert into invitations (id, email, role, token_hash, invited_by_id, expires_at) values (gen_random_uuid(), ?, 'user', ?, ?, now() + interval '7 days')`,
        [`guest${i}-${email}`, randomBytes(16).toString('hex'), user.id],
      );
    await sql(`insert into password_reset_tokens (token_hash, user_id, expires_at) values (?, ?, now() + interval '1 hour')`, [
      randomBytes(16).toString('hex'),
      user.id,
    ]);
    return { ...(await actor(user.id)), jar };
  };
  /** Rows that belong to `userId` in each per-user table (what a purge must remove, and must not touch for others). */
  const footprint = async (userId: string) => {
    const [r] = await sql<Record<string, string>[]>(
      `select (select count(*) from users where id = ?) as users,
              (select count(*) from sessions where user_id = ?) as sessions,
              (select count(*) from invitations where invited_by_id = ?) as invitations,
              (select count(*) from password_reset_tokens where user_id = ?) as "resetTokens",
              (select count(*) from files where owner_id = ?) as files`,
      [userId, userId, userId, userId, userId],
    );
    return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
  };
  const purgeAudits = (userId: string) =>
    sql<{ actor_id: string | null; details: Record<string, unknown> }[]>(
      `select actor_id, details from audit_log where action = 'user.purge' and target_id = ?`,
      [userId],
    );
  return {
    api,
    redisUrl: redis.url,
    /** Stops the file's redis-server, and starts it again on the same port with its data (AOF). */
    stopRedis: () => redisNow.stop(),
    async startRedisAgain() {
      redisNow = await redis.restart();
    },
    ownerJar,
    owner,
    ownerPassword: OWNER.password,
    queue: q.queue,
    redisClient: q.redis,
    deps,
    sql,
    actor,
    makeUser,
    footprint,
    purgeAudits,
    dataDir: api.services.dataDir,
    async close() {
      await q.close();
      await api.close();
      await redisNow.stop();
    },
  };
}
export type DeletionFixture = Awaited<ReturnType<typeof deletionFixture>>;

/** The domain code of a rejected call (tRPC error's cause, or an AppError). */
export async function codeOf(p: Promise<unknown>): Promise<{ code?: string; appCode?: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code?: string; cause?: { code?: string } },
  );
  if (!err) throw new Error('expected a rejection');
  return { code: err.code, appCode: err.cause?.code ?? err.code };
}
