import fs from 'node:fs';
import path from 'node:path';
import type { Actor, CoreDeps } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';

/** A test API with an owner, plus helpers to make users and call storage use cases directly. */
export async function storageFixture() {
  const api: TestApi = await createTestApi();
  const ownerJar: TestJar = await withOwner(api);
  const deps = (): CoreDeps => ({
    em: api.services.orm.em.fork() as EntityManager,
    clock: api.services.clock,
    sessions: api.services.sessions,
    jobs: api.services.jobs,
    dataDir: api.services.dataDir,
  });
  const actor = async (id: string): Promise<Actor> => {
    const u = await deps().em.findOneOrFail(User, id);
    return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: u.mustChangePassword };
  };
  let n = 0;
  const makeUser = async (opts: { quotaBytes?: number | null; storageLabel?: string; role?: 'user' | 'admin' } = {}) => {
    n++;
    const { user } = await api.as(ownerJar).admin.users.create({
      email: `user${n}-${Date.now()}@example.com`,
      name: `User ${n}`,
      password: 'correct horse battery',
      role: opts.role ?? 'user',
      mustChangePassword: false,
      storageLabel: opts.storageLabel ?? null,
    });
    if (opts.quotaBytes !== undefined) await sql(`update users set quota_bytes = ? where id = ?`, [opts.quotaBytes, user.id]);
    return actor(user.id);
  };
  const sql = <T = Record<string, unknown>[]>(q: string, params: unknown[] = []) => deps().em.execute(q, params) as Promise<T>;
  const owner = await actor((await sql<{ id: string }[]>(`select id from users where role = 'owner'`))[0]!.id);
  return { api, ownerJar, owner, deps, actor, makeUser, sql, dataDir: api.services.dataDir };
}

/** A body of `size` bytes in `chunk`-sized pieces, like a request stream. */
export async function* bytes(size: number, chunk = 64 * 1024, fill = 0x61): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < size; sent += chunk) yield Buffer.alloc(Math.min(chunk, size - sent), fill);
}

/** Every regular file under `dir`, relative to it. */
export function filesOnDisk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

export async function appCodeOf(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code?: string },
  );
  if (!err) throw new Error('expected a rejection');
  return err.code;
}
