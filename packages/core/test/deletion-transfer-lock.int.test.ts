/**
 * A user named as another deletion's transfer target cannot be deleted (or
 * have their purge hurried) until that purge is done: before, deleting B
 * while A's purge transferred to B left A blocked, half-transferred and
 * unrestorable. USER_IS_TRANSFER_TARGET (CONFLICT) tells the admin to
 * retarget A first (restore it, delete it again with another target).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, purgeUser, uploadFile } from '@roster/core';
import { codeOf, deletionFixture, type DeletionFixture } from '@roster/test/support/deletion';

let fx: DeletionFixture;
beforeAll(async () => {
  fx = await deletionFixture();
});
afterAll(() => fx?.close());

async function* bytes(n: number) {
  yield Buffer.alloc(n, 0x61);
}
const statusOf = async (id: string) => (await fx.sql<{ status: string }[]>(`select status from users where id = ?`, [id]))[0]?.status ?? 'gone';
const CONFLICT = { code: 'CONFLICT', appCode: 'USER_IS_TRANSFER_TARGET' };

describe('deleting a transfer target', () => {
  it('is refused while a deletion transfers to them (scheduled, immediate, purge now); the giver’s deletion still completes', async () => {
    const users = fx.api.as(fx.ownerJar).admin.users;
    const giver = await fx.makeUser();
    await uploadFile(fx.deps(), giver, { name: 'keep-me.txt', size: 5, body: bytes(5) });
    const heir = await fx.makeUser();
    await users.delete({ id: giver.id, transferToUserId: heir.id });

    expect(await codeOf(users.delete({ id: heir.id }))).toEqual(CONFLICT);
    expect(await codeOf(users.delete({ id: heir.id, immediate: true }))).toEqual(CONFLICT);
    const err = await users.delete({ id: heir.id }).catch((e: Error) => e);
    expect((err as Error).message).toContain(giver.email);
    expect(await statusOf(heir.id)).toBe('active');
    // The sessions and links of the heir are untouched by the refused call.
    expect(await fx.footprint(heir.id)).toMatchObject({ users: 1, sessions: 1, invitations: 2, resetTokens: 1 });

    // The giver's purge runs and hands the file over; then the heir is an ordinary user again.
    await users.purgeNow({ id: giver.id });
    expect(await purgeUser(fx.deps(), giver.id)).toMatchObject({ outcome: 'purged' });
    expect(await fx.footprint(giver.id)).toMatchObject({ users: 0, files: 0 });
    expect(await fx.footprint(heir.id)).toMatchObject({ files: 1 });
    expect((await users.delete({ id: heir.id, immediate: true })).user.status).toBe('deleted');
  });

  it('goes through once the giver’s deletion is retargeted (restored and deleted again without a target)', async () => {
    const users = fx.api.as(fx.ownerJar).admin.users;
    const giver = await fx.makeUser();
    const heir = await fx.makeUser();
    await users.delete({ id: giver.id, transferToUserId: heir.id });
    expect(await codeOf(users.delete({ id: heir.id }))).toEqual(CONFLICT);
    await users.restore({ id: giver.id });
    await users.delete({ id: giver.id, transferToUserId: null });
    expect((await users.delete({ id: heir.id })).user.status).toBe('deleted');
  });

  it('refuses purge now for a deleted user another deletion still transfers to (a state left by older versions)', async () => {
    const users = fx.api.as(fx.ownerJar).admin.users;
    const giver = await fx.makeUser();
    const heir = await fx.makeUser();
    await users.delete({ id: heir.id });
    await users.delete({ id: giver.id });
    await fx.sql(`update users set transfer_to_user_id = ? where id = ?`, [heir.id, giver.id]);
    expect(await codeOf(users.purgeNow({ id: heir.id }))).toEqual(CONFLICT);
  });

  it('lets exactly one of “delete A to B” and “delete B” through when they race', async () => {
    for (let round = 0; round < 4; round++) {
      const a = await fx.makeUser();
      const b = await fx.makeUser();
      const [toB, ofB] = await Promise.allSettled([
        deleteUser(fx.deps(), fx.owner, { id: a.id, transferToUserId: b.id }),
        deleteUser(fx.deps(), fx.owner, { id: b.id }),
      ]);
      const outcome = [toB, ofB].map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
      expect([['ok', 'USER_IS_TRANSFER_TARGET'], ['TRANSFER_TARGET_INVALID', 'ok']]).toContainEqual(outcome);
    }
  });
});
