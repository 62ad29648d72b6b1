import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '@roster/api';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { makeUser, rejection } from './admin-users.support.ts';

/** Keys a deploying organisation declares in ROSTER_PERMISSIONS_FILE work like Roster's own, everywhere. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-perms-'));
const file = path.join(dir, 'permissions.json');
fs.writeFileSync(file, JSON.stringify({ wiki: { 'pages.edit': false, 'pages.read': { default: true, label: 'Read pages' } } }));

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi({ permissionsFile: file });
  owner = await withOwner(api);
});
afterAll(() => api.close());

describe('config-declared permission keys', () => {
  it('are listed, granted by groups, set in the template and answered to services', async () => {
    const admin = api.as(owner).admin;
    const { items } = await admin.permissions.catalogue();
    expect(items).toContainEqual({ key: 'wiki.pages.read', area: 'wiki', label: 'Read pages', default: true });
    expect(items).toContainEqual({ key: 'wiki.pages.edit', area: 'wiki', label: 'wiki.pages.edit', default: false });
    const u = await makeUser(api, owner, { email: 'wiki@example.com' });
    const check = () => api.as(owner).permissions.check({ userId: u.id, keys: ['wiki.pages.edit', 'wiki.pages.read'] });
    expect((await check()).permissions).toEqual({ 'wiki.pages.edit': false, 'wiki.pages.read': true });
    const editors = await admin.groups.create({ name: 'Wiki editors', grants: ['wiki.pages.edit'], denies: [] });
    await admin.groups.addMembers({ groupId: editors.id, userIds: [u.id] });
    expect((await check()).permissions).toEqual({ 'wiki.pages.edit': true, 'wiki.pages.read': true });
    await admin.permissions.setDefault({ permissions: { 'wiki.pages.read': false } });
    expect((await api.as(u.jar).me.permissions()).permissions).toMatchObject({ 'wiki.pages.edit': true, 'wiki.pages.read': false });
    expect(await rejection(api.as(owner).permissions.check({ userId: u.id, keys: ['wiki.pages.delete'] }))).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'UNKNOWN_PERMISSION',
    });
    expect(await rejection(api.as(owner).permissions.check({ userId: '00000000-0000-4000-a000-000000000000', keys: [] }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
  });

  it('a bad file stops the services from starting, saying which file and why', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ wiki: { 'pages.edit': 'maybe' } }));
    await expect(createServices({ databaseUrl: api.databaseUrl, redisUrl: 'redis://127.0.0.1:1', dataDir: dir, permissionsFile: bad })).rejects.toThrow(
      new RegExp(`ROSTER_PERMISSIONS_FILE \\(${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) is not valid: wiki → pages.edit`),
    );
  });
});
