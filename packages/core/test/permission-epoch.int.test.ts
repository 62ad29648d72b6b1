import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate, openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { createTestDatabase } from '@roster/test/support/database';

/**
 * The permission epoch (migrations 0022, 0027) moves when a user's role or
 * status changes, at the commit of the change: a reader sees the new number
 * only with the change, and two transactions changing different users never
 * wait for each other on the epoch's one row before they commit.
 */
let orm: MikroORM;
const A = '00000000-0000-4000-8000-000000000001';
const B = '00000000-0000-4000-8000-000000000002';
const epoch = async () => Number((await orm.em.fork().execute<{ n: string }[]>(`select n from permission_epoch`))[0]!.n);

/** A transaction held open on its own connection until committed or rolled back; a wait on a lock in it fails after 2 s. */
async function open(): Promise<{ sql: (q: string) => Promise<unknown>; commit: () => Promise<void>; rollback: () => Promise<void> }> {
  let finish!: (commit: boolean) => void;
  const decided = new Promise<boolean>((r) => (finish = r));
  let ready!: (tx: EntityManager) => void;
  const started = new Promise<EntityManager>((r) => (ready = r));
  const run = orm.em
    .fork()
    .transactional(async (tx) => {
      await tx.execute(`set local lock_timeout = '2s'`);
      ready(tx);
      if (!(await decided)) throw new Error('rollback');
    })
    .catch((err: Error) => {
      if (err.message !== 'rollback') throw err;
    });
  const tx = await started;
  return { sql: (q) => tx.execute(q), commit: () => (finish(true), run), rollback: () => (finish(false), run) };
}

beforeAll(async () => {
  orm = await openOrm(await createTestDatabase(), { poolMax: 4 });
  await migrate(orm);
  await orm.em.fork().execute(`insert into users (id, email, name, role, status) values ('${A}', 'a@x.test', 'A', 'user', 'active'), ('${B}', 'b@x.test', 'B', 'user', 'active')`);
});
afterAll(() => orm?.close());

it('two role changes in flight do not wait for each other; each moves the epoch when it commits', async () => {
  const before = await epoch();
  const a = await open();
  await a.sql(`update users set role = 'admin' where id = '${A}'`);
  const b = await open();
  // Bumped at the update, the epoch row would be locked by `a` here: lock_timeout.
  await b.sql(`update users set status = 'suspended' where id = '${B}'`);
  expect(await epoch()).toBe(before);
  await b.commit();
  expect(await epoch()).toBe(before + 1);
  await a.commit();
  expect(await epoch()).toBe(before + 2);
});

it('other updates and rolled-back changes leave the epoch alone', async () => {
  const before = await epoch();
  await orm.em.fork().execute(`update users set name = 'A2', updated_at = now() where id = '${A}'`);
  const c = await open();
  await c.sql(`update users set role = 'user' where id = '${B}'`);
  await c.rollback();
  expect(await epoch()).toBe(before);
  await orm.em.fork().execute(`update users set role = 'pending' where id = '${B}'`);
  expect(await epoch()).toBe(before + 1);
});
