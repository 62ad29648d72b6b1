import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, emailSha256, purgePlan, purgeUser, uploadFile, type PurgeStep } from '@roster/core';
import { codeOf, deletionFixture, type DeletionFixture } from '@roster/test/support/deletion';

let fx: DeletionFixture;
beforeAll(async () => {
  fx = await deletionFixture();
});
afterAll(() => fx?.close());

async function* bytes(n: number) {
  yield Buffer.alloc(n, 0x61);
}
async function userWithFiles(files: number, label?: string) {
  const u = await fx.makeUser({ storageLabel: label });
  for (let i = 0; i < files; i++) await uploadFile(fx.deps(), u, { name: `f${i}.txt`, size: 10, body: bytes(10) });
  return u;
}
const folder = (label: string) => path.join(fx.dataDir, 'upload', label);
const countFiles = (dir: string) =>
  fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).length : 0;
const usage = async (id: string) => Number((await fx.sql<{ u: string }[]>(`select usage_bytes as u from users where id = ?`, [id]))[0]!.u);

describe('purgeUser', () => {
  it('does nothing before purge_at, then removes exactly the user and their files, audits once, and is a no-op after', async () => {
    const u = await userWithFiles(3, 'leaver');
    const other = await userWithFiles(2, 'stayer');
    const otherBefore = await fx.footprint(other.id);
    await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 60_000 });
    const early = await purgeUser(fx.deps(), u.id);
    expect(early).toMatchObject({ outcome: 'not-due' });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, files: 3, invitations: 2 });

    await fx.sql(`update users set purge_at = now() where id = ?`, [u.id]);
    const res = await purgeUser(fx.deps(), u.id);
    expect(res).toMatchObject({ outcome: 'purged', resumed: false, counts: { files: 3, bytes: 30, sessions: 0, invitations: 2, resetTokens: 1 } });
    expect(await fx.footprint(u.id)).toEqual({ users: 0, sessions: 0, invitations: 0, resetTokens: 0, files: 0 });
    expect(countFiles(folder('leaver'))).toBe(0);
    expect(await fx.footprint(other.id)).toEqual(otherBefore);
    expect(countFiles(folder('stayer'))).toBe(2);
    const audits = await fx.purgeAudits(u.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor_id: fx.owner.id,
      details: { emailSha256: emailSha256(u.email), counts: { files: 3, bytes: 30, invitations: 2, resetTokens: 1 }, transferredTo: null },
    });
    expect(JSON.stringify(audits[0])).not.toContain(u.email);
    expect(await purgeUser(fx.deps(), u.id)).toEqual({ outcome: 'gone' });
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);
  });

  it('leaves a restored user alone', async () => {
    const u = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    await fx.api.as(fx.ownerJar).admin.users.restore({ id: u.id });
    expect(await purgeUser(fx.deps(), u.id)).toEqual({ outcome: 'not-deleted' });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, invitations: 2 });
  });

  it('resumes a purge cut short: restore is refused meanwhile, the audit keeps the counts found at the start', async () => {
    const u = await userWithFiles(2, 'crasher');
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    const crash: PurgeStep = { name: 'crash', preview: async () => ({}), run: async () => { throw new Error('worker died'); } };
    // The worker dies after the files and account steps committed, before the row.
    const at = purgePlan.findIndex((s) => s.name === 'user');
    const cut = [...purgePlan.slice(0, at), crash, ...purgePlan.slice(at)];
    await expect(purgeUser(fx.deps(), u.id, { plan: cut })).rejects.toThrow('worker died');
    expect(await fx.footprint(u.id)).toEqual({ users: 1, sessions: 0, files: 0, invitations: 0, resetTokens: 0 });
    expect(await codeOf(fx.api.as(fx.ownerJar).admin.users.restore({ id: u.id }))).toMatchObject({ appCode: 'PURGE_IN_PROGRESS' });
    const res = await purgeUser(fx.deps(), u.id);
    expect(res).toMatchObject({ outcome: 'purged', resumed: true });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 0, resetTokens: 0 });
    const [audit] = await fx.purgeAudits(u.id);
    expect(audit!.details).toMatchObject({ counts: { files: 2, bytes: 20, invitations: 2, resetTokens: 1 } });
  });

  it('skips the files step of a user without files, and runs it on the retry when a file row appears after the claim', async () => {
    const u = await fx.makeUser({ storageLabel: 'late-upload' });
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    // An upload that was in flight at the deletion commits its file after the claim found no files.
    const rel = 'upload/late-upload/2026/01/late.txt';
    const lateUpload: PurgeStep = {
      name: 'late upload',
      preview: async () => ({}),
      async run() {
        fs.mkdirSync(path.dirname(path.join(fx.dataDir, rel)), { recursive: true });
        fs.writeFileSync(path.join(fx.dataDir, rel), 'late');
        await fx.sql(`insert into files (id, owner_id, path, size, sha1, mime_type, original_name) values (?, ?, ?, 4, 'x', 'text/plain', 'late.txt')`, [
          randomUUID(),
          u.id,
          rel,
        ]);
        return {};
      },
    };
    const at = purgePlan.findIndex((s) => s.name === 'user');
    // The user row cannot go while a file row points at it (files.owner_id restricts): the purge fails and retries.
    await expect(purgeUser(fx.deps(), u.id, { plan: [...purgePlan.slice(0, at), lateUpload, ...purgePlan.slice(at)] })).rejects.toThrow();
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, files: 1, invitations: 0 });
    const res = await purgeUser(fx.deps(), u.id);
    expect(res).toMatchObject({ outcome: 'purged', resumed: true, steps: { files: { files: 1, bytes: 4 } } });
    expect(await fx.footprint(u.id)).toEqual({ users: 0, sessions: 0, invitations: 0, resetTokens: 0, files: 0 });
    expect(fs.existsSync(path.join(fx.dataDir, rel))).toBe(false);
    const audits = await fx.purgeAudits(u.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ counts: { files: 0, bytes: 0, invitations: 2, resetTokens: 1 } });

    // A user without files: no files step at all.
    const plain = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: plain.id, immediate: true });
    const plainRes = await purgeUser(fx.deps(), plain.id);
    expect(plainRes).toMatchObject({ outcome: 'purged', counts: { files: 0, bytes: 0, invitations: 2 } });
    expect(Object.keys((plainRes as { steps: object }).steps)).toEqual(['account', 'user']);
  });

  it('runs once when two workers purge the same user at the same moment', async () => {
    const u = await userWithFiles(2);
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    const results = await Promise.allSettled([
      purgeUser(fx.deps(), u.id, { stepDelayMs: 200 }),
      purgeUser(fx.deps(), u.id, { stepDelayMs: 200 }),
    ]);
    const purged = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'purged');
    expect(purged).toHaveLength(1);
    const other = results.find((r) => r !== purged[0])!;
    // The loser either found the lock held (and the queue retries it) or arrived after the end.
    if (other.status === 'rejected') expect((other.reason as Error).name).toBe('PurgeBusyError');
    else expect(other.value).toEqual({ outcome: 'gone' });
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);
    expect(await purgeUser(fx.deps(), u.id)).toEqual({ outcome: 'gone' });
  });

  it('transfers files and usage to the target', async () => {
    const u = await userWithFiles(3, 'giver');
    const heir = await userWithFiles(1, 'heir');
    expect(await usage(heir.id)).toBe(10);
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true, transferToUserId: heir.id });
    expect(await purgeUser(fx.deps(), u.id)).toMatchObject({ outcome: 'purged' });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 0, files: 0 });
    expect(await fx.footprint(heir.id)).toMatchObject({ users: 1, files: 4, invitations: 2, sessions: 1 });
    expect(await usage(heir.id)).toBe(40);
    expect(countFiles(folder('heir'))).toBe(4);
    expect(countFiles(folder('giver'))).toBe(0);
    const [audit] = await fx.purgeAudits(u.id);
    expect(audit!.details).toMatchObject({ transferredTo: heir.id, counts: { files: 3, bytes: 30 } });
  });

  it('is blocked, removing nothing, when the transfer target is no longer active at purge time', async () => {
    const u = await userWithFiles(2, 'blocked');
    const heir = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true, transferToUserId: heir.id });
    await fx.api.as(fx.ownerJar).admin.users.suspend({ id: heir.id, reason: 'left' });
    expect(await codeOf(purgeUser(fx.deps(), u.id))).toMatchObject({ appCode: 'TRANSFER_TARGET_INVALID' });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, files: 2, invitations: 2 });
    expect(countFiles(folder('blocked'))).toBe(2);
    const blocked = await fx.sql(`select details from audit_log where action = 'user.purge.blocked' and target_id = ?`, [u.id]);
    expect(blocked).toHaveLength(1);
    // Still restorable: the admin restores, then deletes again without (or with another) target.
    await fx.api.as(fx.ownerJar).admin.users.restore({ id: u.id });
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    expect(await purgeUser(fx.deps(), u.id)).toMatchObject({ outcome: 'purged' });
    expect(countFiles(folder('blocked'))).toBe(0);
  });
});

describe('purgeUser and group memberships', () => {
  it('the preview counts them, the purge removes them and keeps the groups and their other members', async () => {
    const [u, other] = [await fx.makeUser(), await fx.makeUser()];
    const admin = fx.api.as(fx.ownerJar).admin;
    const g1 = await admin.groups.create({ name: `Purge A ${u.id}`, grants: [], denies: [] });
    const g2 = await admin.groups.create({ name: `Purge B ${u.id}`, grants: [], denies: [] });
    await admin.groups.addMembers({ groupId: g1.id, userIds: [u.id, other.id] });
    await admin.groups.addMembers({ groupId: g2.id, userIds: [u.id] });
    expect((await admin.users.deletionPreview({ id: u.id })).counts).toMatchObject({ groupMemberships: 2 });
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    // Kept while the user can still be restored; a deleted user cannot be added again.
    expect((await admin.users.deletionPreview({ id: u.id })).counts).toMatchObject({ groupMemberships: 2 });
    expect((await admin.groups.addMembers({ groupId: g2.id, userIds: [u.id] })).results).toEqual([{ userId: u.id, outcome: 'notFound' }]);
    const res = await purgeUser(fx.deps(), u.id);
    expect(res).toMatchObject({ outcome: 'purged', counts: { groupMemberships: 2 } });
    const [row] = await fx.sql<{ mine: number; others: number; groups: number }[]>(
      `select (select count(*)::int from group_members where user_id = ?) as mine,
              (select count(*)::int from group_members where user_id = ?) as others,
              (select count(*)::int from groups where id in (?, ?)) as groups`,
      [u.id, other.id, g1.id, g2.id],
    );
    expect(row).toEqual({ mine: 0, others: 1, groups: 2 });
    expect((await fx.purgeAudits(u.id))[0]!.details).toMatchObject({ counts: { groupMemberships: 2 } });
  });
});

describe('purgeUser and API keys', () => {
  it('the preview counts them (revoked ones too), the purge removes them', async () => {
    const admin = fx.api.as(fx.ownerJar).admin;
    const svc = await admin.serviceAccounts.create({ name: 'Purged service' });
    const live = await admin.apiKeys.create({ userId: svc.id, name: 'live', scopes: ['user:list'] });
    const gone = await admin.apiKeys.create({ userId: svc.id, name: 'gone', scopes: ['me'] });
    await admin.apiKeys.revoke({ id: gone.id });
    expect((await admin.users.deletionPreview({ id: svc.id })).counts).toMatchObject({ apiKeys: 2 });
    await deleteUser(fx.deps(), fx.owner, { id: svc.id, immediate: true });
    const res = await purgeUser(fx.deps(), svc.id);
    expect(res).toMatchObject({ outcome: 'purged', counts: { apiKeys: 2 } });
    const [row] = await fx.sql<{ n: number }[]>(`select count(*)::int as n from api_keys where id in (?, ?)`, [live.id, gone.id]);
    expect(row).toEqual({ n: 0 });
  });
});
