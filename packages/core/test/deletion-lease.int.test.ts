import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, purgePlan, purgeUser, type CoreDeps, type PurgeStep } from '@roster/core';
import { deletionFixture, type DeletionFixture } from '@roster/test/support/deletion';

/** One clock (the database's) for due times and leases; a lease that cannot be kept stops the purge at once. */
let fx: DeletionFixture;
beforeAll(async () => {
  fx = await deletionFixture();
});
afterAll(() => fx?.close());

const HOUR = 3_600_000;
/** A worker whose own clock runs an hour ahead of the database's. */
const skewed = (): CoreDeps => ({ ...fx.deps(), clock: { now: () => new Date(Date.now() + HOUR) } });

/** A first step that takes `ms` (a large files step), then the real plan. */
const slowPlan = (ms: number): PurgeStep[] => [
  { name: 'slow', preview: async () => ({}), run: () => new Promise((r) => setTimeout(() => r({ waited: ms }), ms)) },
  ...purgePlan,
];
const lease = async (id: string) =>
  (await fx.sql<{ owner: string | null }[]>(`select purge_lease_owner as owner from users where id = ?`, [id]))[0]!.owner;

describe('one clock', () => {
  it('a worker whose clock runs an hour ahead does not purge a user due in a minute', async () => {
    const u = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 60_000 });
    const res = await purgeUser(skewed(), u.id);
    expect(res).toMatchObject({ outcome: 'not-due' });
    // The wait it reports is the database's: about a minute, not "an hour ago".
    expect((res as { dueInMs: number }).dueInMs).toBeGreaterThan(55_000);
    expect((res as { dueInMs: number }).dueInMs).toBeLessThanOrEqual(60_000);
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, invitations: 2 });
  });

  it('a deletion requested through a web process whose clock runs an hour ahead is due by the database clock', async () => {
    const u = await fx.makeUser();
    await deleteUser(skewed(), fx.owner, { id: u.id, delayMs: 60_000 });
    const [row] = await fx.sql<{ secs: number }[]>(`select extract(epoch from purge_at - now())::float8 as secs from users where id = ?`, [u.id]);
    expect(row!.secs).toBeGreaterThan(55);
    expect(row!.secs).toBeLessThanOrEqual(60);
    const immediate = await fx.makeUser();
    await deleteUser(skewed(), fx.owner, { id: immediate.id, immediate: true });
    expect(await purgeUser(fx.deps(), immediate.id)).toMatchObject({ outcome: 'purged' });
  });
});

describe('lease', () => {
  it('a renewal that fails is logged and stops the purge at once, before the step in flight ends', async () => {
    const u = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    // A real failure of the renewal statement: a trigger refuses any change of this row's lease time.
    await fx.sql(`create or replace function refuse_lease() returns trigger language plpgsql as $$ begin raise exception 'renewal refused by test'; end $$`);
    await fx.sql(
      `create trigger refuse_lease before update of purge_lease_until on users for each row
         when (old.id = '${u.id}' and old.purge_lease_until is not null and new.purge_lease_until is not null) execute function refuse_lease()`,
    );
    const logs: string[] = [];
    const t0 = Date.now();
    try {
      const err = await purgeUser(fx.deps(), u.id, { plan: slowPlan(10_000), leaseMs: 1_500, log: (m) => logs.push(m) }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toContain('could not be renewed');
      expect(err?.message).toContain('renewal refused by test');
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect(logs.join('\n')).toMatch(/lease on the purge of .* could not be renewed: .*renewal refused by test.*; stopping the purge/);
    } finally {
      await fx.sql(`drop trigger refuse_lease on users`);
    }
    // Nothing after the slow step ran: the account rows are still there, and a later run resumes.
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, invitations: 2 });
    await fx.sql(`update users set purge_lease_until = null, purge_lease_owner = null where id = ?`, [u.id]);
    expect(await purgeUser(fx.deps(), u.id)).toMatchObject({ outcome: 'purged', resumed: true });
  });

  it('a lease taken over by another worker stops the purge at once', async () => {
    const u = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    const logs: string[] = [];
    const t0 = Date.now();
    const running = purgeUser(fx.deps(), u.id, { plan: slowPlan(10_000), leaseMs: 1_500, log: (m) => logs.push(m) }).then(
      () => null,
      (e: Error) => e,
    );
    while (!(await lease(u.id))) await new Promise((r) => setTimeout(r, 20));
    await fx.sql(`update users set purge_lease_owner = 'another-worker' where id = ?`, [u.id]);
    const err = await running;
    expect(err?.name).toBe('PurgeBusyError');
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(logs.join('\n')).toContain('taken over by another worker');
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, invitations: 2 });
    // The other worker's lease is left alone.
    expect(await lease(u.id)).toBe('another-worker');
  });
});
