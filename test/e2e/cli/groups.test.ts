import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, okJson, OWNER, type CliResult } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

/** Issue 11 from the command line: the default template, groups that grant and deny, members, managers, checks. */

let app: RunningApp;
const sandboxes: CliSandbox[] = [];
let owner: CliSandbox;
let uma: CliSandbox;
let small: string;
const PW = 'a long enough password';
const ids: Record<string, string> = {};

async function signedIn(email: string, password = PW) {
  const s = new CliSandbox();
  sandboxes.push(s);
  const r = await s.run(['login', '--url', app.baseUrl, '--email', email, '--password-stdin'], { input: password });
  expect(r.code, r.stderr).toBe(0);
  return s;
}
const create = async (email: string) => {
  const r = okJson(await owner.run(['users', 'create', email, '--name', email.split('@')[0]!, '--password-stdin', '--no-must-change', '--json'], { input: PW }));
  ids[email] = r.user.id;
};
const failure = (r: CliResult, exit: number, code: string) => {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: .*\\n(.*\\n)*hint: `));
};
const usage = (r: CliResult, message: RegExp) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error USAGE: /);
  expect(r.stderr).toMatch(message);
};
const check = async (email: string, ...keys: string[]) => okJson(await owner.run(['permissions', 'check', email, ...keys, '--json'])).permissions;

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  owner = await signedIn(OWNER.email, OWNER.password);
  for (const email of ['uma@example.com', 'vic@example.com', 'wes@example.com']) await create(email);
  uma = await signedIn('uma@example.com');
  small = path.join(uma.home, 'small.bin');
  fs.writeFileSync(small, Buffer.alloc(1024, 7));
});
afterAll(async () => {
  await app?.stop();
  for (const s of sandboxes) s.remove();
});

describe('help for every new verb', () => {
  const levels = [
    ['groups'], ['groups', 'list'], ['groups', 'get'], ['groups', 'create'], ['groups', 'update'], ['groups', 'delete'], ['groups', 'add'],
    ['groups', 'remove'], ['groups', 'managers'], ['groups', 'mine'], ['permissions'], ['permissions', 'default'], ['permissions', 'default', 'get'],
    ['permissions', 'default', 'set'], ['permissions', 'check'], ['permissions', 'catalogue'], ['permissions', 'mine'], ['users', 'groups'],
  ];
  it.each(levels.map((l) => [l.join(' '), l] as const))('roster %s --help', async (_, level) => {
    const r = await owner.run([...level, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`roster ${level.join(' ')}`);
    expect(r.stdout).toMatch(/Examples\n {2}\$ roster /);
  });
});

describe('roster permissions: catalogue and default template', () => {
  it('lists the catalogue with areas and defaults', async () => {
    const cat = okJson(await owner.run(['permissions', 'catalogue', '--json']));
    expect(cat.items).toContainEqual({ key: 'files.upload', area: 'files', label: expect.any(String), default: true });
    const human = await owner.run(['permissions', 'catalogue']);
    expect(human.stdout).toMatch(/^AREA\s+KEY\s+DEFAULT\s+MEANING\n/);
    expect(human.stdout).toMatch(/\nfiles\s+files\.upload\s+true\s+Upload files\n/);
  });

  it('reads and sets the default, keys not named keep their value; bad keys and values are usage errors', async () => {
    const before = okJson(await owner.run(['permissions', 'default', '--json']));
    expect(Object.keys(before)).toEqual(['permissions']);
    expect(before.permissions).toMatchObject({ 'files.upload': true, 'users.search': true, 'files.download': true });

    const set = okJson(await owner.run(['permissions', 'default', 'set', 'files.upload=false', 'users.search=true', '--json']));
    expect(set.changed).toEqual(['files.upload', 'users.search']);
    expect(set.before['files.upload']).toBe(true);
    expect(set.after).toMatchObject({ 'files.upload': false, 'users.search': true, 'files.download': true });
    const human = await owner.run(['permissions', 'default', 'set', 'files.upload=no', 'profile.editName=off']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^✓ Default permissions saved\n {2}files\.upload\s+false \(unchanged\)\n {2}profile\.editName\s+true → false\n$/);
    const shown = await owner.run(['permissions', 'default']);
    expect(shown.stdout).toMatch(/^KEY\s+VALUE\s+MEANING\n/);
    expect(shown.stdout).toMatch(/\nfiles\.upload\s+false\s+Upload files\n/);
    expect(okJson(await owner.run(['permissions', 'default', 'set', 'profile.editName=true', '--json'])).after['profile.editName']).toBe(true);

    usage(await owner.run(['permissions', 'default', 'set', 'files.uplod=false']), /there is no permission "files\.uplod"\nhint: did you mean files\.upload\?/);
    usage(await owner.run(['permissions', 'default', 'set', 'files.upload=maybe']), /files\.upload is true or false/);
    usage(await owner.run(['permissions', 'default', 'set', 'files.upload']), /must look like key=true/);
    failure(await uma.run(['permissions', 'default']), 1, 'FORBIDDEN');
  });
});

describe('roster groups: grant, deny, members, effective permissions', () => {
  it('refuses an upload the default takes away with PERMISSION_DENIED, allows it after a group grant', async () => {
    const refused = await uma.run(['files', 'upload', small, '--json']);
    failure(refused, 1, 'PERMISSION_DENIED');
    expect(refused.stderr).toContain('roster permissions mine');
    expect(okJson(await uma.run(['permissions', 'mine', '--json'])).permissions['files.upload']).toBe(false);
    expect((await uma.run(['permissions', 'mine'])).stdout).toMatch(/^KEY\s+VALUE\nfiles\.upload\s+false\n/);

    const g = okJson(await owner.run(['groups', 'create', 'Uploaders', '--grant', 'files.upload', '-d', 'may upload', '--json']));
    expect(g).toMatchObject({ id: expect.any(String), name: 'Uploaders', description: 'may upload', grants: ['files.upload'], denies: [] });
    ids.Uploaders = g.id;
    failure(await owner.run(['groups', 'create', 'uploaders']), 1, 'GROUP_NAME_TAKEN');
    failure(await owner.run(['groups', 'create', 'Odd', '--grant', 'no.such.key']), 1, 'UNKNOWN_PERMISSION');

    const added = await owner.run(['groups', 'add', 'UPLOADERS', 'uma@example.com', 'nobody@example.com', ids['vic@example.com']!, '--json']);
    expect(added.stderr).toBe('');
    expect(okJson(added)).toEqual({
      group: { id: g.id, name: 'Uploaders' },
      expiresAt: null,
      results: [
        { user: 'uma@example.com', userId: ids['uma@example.com'], outcome: 'added' },
        { user: 'nobody@example.com', userId: null, outcome: 'notFound' },
        { user: ids['vic@example.com'], userId: ids['vic@example.com'], outcome: 'added' },
      ],
    });
    const unknownId = '00000000-0000-4000-a000-000000000000';
    const again = await owner.run(['groups', 'add', 'Uploaders', 'uma@example.com', unknownId]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('✓ Uploaders: 1 unchanged (already so)\n');
    expect(again.stderr).toBe(`warning: no such user: ${unknownId}\n`);

    expect(await check('uma@example.com', 'files.upload', 'users.search')).toEqual({ 'files.upload': true, 'users.search': true });
    const up = await uma.run(['files', 'upload', small, '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(okJson(up).files).toHaveLength(1);
  });

  it('a deny wins over a grant; permissions check --exit-code says so in its status', async () => {
    okJson(await owner.run(['groups', 'create', 'No uploads', '--deny', 'files.upload', '--json']));
    const yes = await owner.run(['permissions', 'check', 'uma@example.com', 'files.upload', '--exit-code']);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/^KEY\s+VALUE\s+MEANING\nfiles\.upload\s+true\s+Upload files\n$/);
    expect((await owner.run(['groups', 'add', 'no uploads', 'uma@example.com'])).stdout).toBe('✓ No uploads: 1 added\n');
    expect(await check('uma@example.com', 'files.upload')).toEqual({ 'files.upload': false });
    const no = await owner.run(['permissions', 'check', 'uma@example.com', 'files.upload', '--exit-code']);
    expect(no.code).toBe(1);
    expect(no.stderr).toBe('');
    failure(await uma.run(['files', 'upload', small]), 1, 'PERMISSION_DENIED');
    // Without --exit-code the answer is data, not a failure.
    expect((await owner.run(['permissions', 'check', 'uma@example.com', 'files.upload'])).code).toBe(0);
    // The owner has everything, whatever the template says.
    expect(await check(OWNER.email, 'files.upload')).toEqual({ 'files.upload': true });
    failure(await owner.run(['permissions', 'check', 'nobody@example.com', 'files.upload']), 1, 'USER_NOT_FOUND');
    failure(await owner.run(['permissions', 'check', 'uma@example.com', 'no.such.key']), 1, 'UNKNOWN_PERMISSION');
    failure(await uma.run(['permissions', 'check', 'uma@example.com', 'files.upload']), 1, 'FORBIDDEN');

    // --why: where each value comes from.
    const why = await owner.run(['permissions', 'check', 'uma@example.com', 'files.upload', 'users.search', '--why']);
    expect(why.stdout).toMatch(/^KEY\s+VALUE\s+SOURCE\s+MEANING\nfiles\.upload\s+false\s+denied by group No uploads\s+Upload files\nusers\.search\s+true\s+default\s+/);
    const whyJson = okJson(await owner.run(['permissions', 'check', 'uma@example.com', 'files.upload', '--why', '--json']));
    expect(whyJson).toMatchObject({ userId: ids['uma@example.com'], permissions: { 'files.upload': false } });
    expect(whyJson.sources).toEqual([
      expect.objectContaining({ key: 'files.upload', allowed: false, source: { kind: 'denied', groups: [{ id: expect.any(String), name: 'No uploads' }] } }),
    ]);
    expect(Object.keys(okJson(await owner.run(['permissions', 'check', 'uma@example.com', '--json'])).permissions)).toContain('profile.editAvatar');
  });

  it('lists, gets, updates and filters users by group', async () => {
    const list = okJson(await owner.run(['groups', 'list', '--json']));
    const byName = Object.fromEntries(list.items.map((g: { name: string }) => [g.name, g]));
    expect(byName.Uploaders).toMatchObject({ grants: ['files.upload'], denies: [], memberCount: 2 });
    expect(byName['No uploads']).toMatchObject({ grants: [], denies: ['files.upload'], memberCount: 1 });
    const human = await owner.run(['groups']);
    expect(human.stdout).toMatch(/^NAME\s+MEMBERS\s+GRANTS\s+DENIES\s+DESCRIPTION\n/);
    expect(human.stdout).toMatch(/\nUploaders\s+2\s+files\.upload\s+-\s+may upload\n/);
    expect(human.stdout).toMatch(/\n2 groups\n$/);

    const got = okJson(await owner.run(['groups', 'get', 'uploaders', '--json']));
    expect(got.members.map((m: { email: string }) => m.email).sort()).toEqual(['uma@example.com', 'vic@example.com']);
    const detail = await owner.run(['groups', 'get', ids.Uploaders!]);
    expect(detail.stdout).toMatch(/^Name\s+Uploaders\n/);
    expect(detail.stdout).toMatch(/\nNAME\s+EMAIL\s+MANAGER\s+EXPIRES\n/);

    const upd = okJson(await owner.run(['groups', 'update', 'Uploaders', '--grant', 'users.search', '--deny', 'profile.editAvatar', '--json']));
    expect(upd.changed).toEqual(['grants', 'denies']);
    expect(upd.group).toMatchObject({ grants: ['files.upload', 'users.search'], denies: ['profile.editAvatar'] });
    const upd2 = okJson(await owner.run(['groups', 'update', 'Uploaders', '--ungrant', 'users.search', '--denies', '', '--name', 'Uploaders', '--json']));
    expect(upd2.group).toMatchObject({ name: 'Uploaders', grants: ['files.upload'], denies: [] });
    usage(await owner.run(['groups', 'update', 'Uploaders']), /nothing to change/);
    usage(await owner.run(['groups', 'update', 'Uploaders', '--grants', 'a.b', '--grant', 'c.d']), /--grants replaces the list/);
    failure(await owner.run(['groups', 'update', 'No such group', '--name', 'x']), 1, 'GROUP_NOT_FOUND');

    const filtered = okJson(await owner.run(['users', 'list', '--group', 'uploaders', '--json']));
    expect(filtered.items.map((u: { email: string }) => u.email).sort()).toEqual(['uma@example.com', 'vic@example.com']);
    const ofUma = okJson(await owner.run(['users', 'groups', 'uma@example.com', '--json']));
    expect(ofUma.userId).toBe(ids['uma@example.com']);
    expect(ofUma.items.map((g: { name: string }) => g.name)).toEqual(['No uploads', 'Uploaders']);
    expect((await owner.run(['users', 'groups', 'uma@example.com'])).stdout).toMatch(/^GROUP\s+MANAGER\s+SINCE\s+EXPIRES\nNo uploads\s+(just now|\d+ (seconds|minutes?) ago)\nUploaders\s+/);
    expect((await owner.run(['users', 'list', '--wide'])).stdout).toMatch(/uma@example\.com .*No uploads, Uploaders\n/);
  });

  it('adds with --expires, removes, refuses past or malformed dates', async () => {
    const r = okJson(await owner.run(['groups', 'add', 'Uploaders', 'wes@example.com', '--expires', '2h', '--json']));
    expect(r.results).toEqual([{ user: 'wes@example.com', userId: ids['wes@example.com'], outcome: 'added' }]);
    expect(Math.abs(Date.parse(r.expiresAt) - Date.now() - 2 * 3_600_000)).toBeLessThan(120_000);
    const wes = okJson(await owner.run(['groups', 'get', 'Uploaders', '--json'])).members.find((m: { email: string }) => m.email === 'wes@example.com');
    expect(wes).toMatchObject({ userId: ids['wes@example.com'], name: 'wes', manager: false });
    expect(Date.parse(wes.expiresAt)).toBe(Date.parse(r.expiresAt));
    expect((await owner.run(['groups', 'get', 'Uploaders'])).stdout).toMatch(/wes@example\.com\s+\S.* UTC \(in 2 hours\)/);
    usage(await owner.run(['groups', 'add', 'Uploaders', 'wes@example.com', '--expires', 'soon']), /--expires must be a duration/);
    usage(await owner.run(['groups', 'add', 'Uploaders', 'wes@example.com', '--expires', '2020-01-01']), /--expires must be in the future/);
    usage(await owner.run(['groups', 'add', 'Uploaders']), /needs USER/);

    const removed = okJson(await owner.run(['groups', 'remove', 'Uploaders', 'wes@example.com', '--json']));
    expect(removed.results).toEqual([{ user: 'wes@example.com', userId: ids['wes@example.com'], outcome: 'removed' }]);
    expect((await owner.run(['groups', 'remove', 'Uploaders', 'wes@example.com'])).stdout).toBe('✓ Uploaders: 1 not a member\n');
  });
});

describe('roster groups: managers', () => {
  it('lets a manager add and remove members of their group only, and nothing else', async () => {
    failure(await uma.run(['groups', 'add', 'Uploaders', ids['wes@example.com']!]), 1, 'FORBIDDEN');
    failure(await uma.run(['groups', 'add', 'Not mine', ids['wes@example.com']!]), 1, 'GROUP_NOT_FOUND');
    expect((await owner.run(['groups', 'managers', 'Uploaders'])).stdout).toMatch(/^Uploaders: 0 managers\n/);
    const set = await owner.run(['groups', 'managers', 'Uploaders', '--add', 'uma@example.com', '--add', 'wes@example.com', '--json']);
    expect(okJson(set).managers).toEqual([{ userId: ids['uma@example.com'], name: 'uma', email: 'uma@example.com' }]);
    expect(okJson(set).results).toEqual([
      { user: 'uma@example.com', userId: ids['uma@example.com'], outcome: 'manager' },
      { user: 'wes@example.com', userId: ids['wes@example.com'], outcome: 'notMember' },
    ]);
    expect((await owner.run(['groups', 'managers', 'Uploaders'])).stdout).toMatch(/^Uploaders: 1 manager\nNAME\s+EMAIL\numa\s+uma@example\.com\n$/);

    const mine = okJson(await uma.run(['groups', 'mine', '--json']));
    expect(mine.items.map((g: { name: string; manager: boolean }) => [g.name, g.manager])).toEqual([['No uploads', false], ['Uploaders', true]]);
    const uploaders = mine.items.find((g: { name: string }) => g.name === 'Uploaders');
    expect(uploaders.members.map((m: { name: string }) => m.name).sort()).toEqual(['uma', 'vic']);
    expect(JSON.stringify(mine)).not.toContain('@example.com');
    const human = await uma.run(['groups', 'mine', '--ids']);
    expect(human.stdout).toMatch(/^No uploads \(member; 1 member\)\n\nUploaders \(manager; 2 members\)\n {2}ID\s+NAME\s+MANAGER\s+EXPIRES\n/);
    expect(human.stdout).toContain(ids['vic@example.com']);

    const added = okJson(await uma.run(['groups', 'add', 'uploaders', ids['wes@example.com']!, '--json']));
    expect(added.results).toEqual([{ user: ids['wes@example.com'], userId: ids['wes@example.com'], outcome: 'added' }]);
    expect(await check('wes@example.com', 'files.upload')).toEqual({ 'files.upload': true });
    usage(await uma.run(['groups', 'remove', 'Uploaders', 'wes@example.com']), /as a group manager \(not an admin\) you name users by id/);
    const removed = okJson(await uma.run(['groups', 'remove', 'Uploaders', ids['wes@example.com']!, '--json']));
    expect(removed.results).toEqual([{ user: ids['wes@example.com'], userId: ids['wes@example.com'], outcome: 'removed' }]);

    failure(await uma.run(['groups', 'add', 'No uploads', ids['wes@example.com']!]), 1, 'FORBIDDEN');
    failure(await uma.run(['groups', 'update', 'Uploaders', '--grant', 'users.search']), 1, 'FORBIDDEN');
    failure(await uma.run(['groups', 'list']), 1, 'FORBIDDEN');

    const cleared = okJson(await owner.run(['groups', 'managers', 'Uploaders', '--clear', '--json']));
    expect(cleared.managers).toEqual([]);
    expect(okJson(await uma.run(['groups', 'mine', '--json'])).items.filter((g: { manager: boolean }) => g.manager)).toEqual([]);
    failure(await uma.run(['groups', 'add', 'Uploaders', ids['wes@example.com']!]), 1, 'FORBIDDEN');
    usage(await owner.run(['groups', 'managers', 'Uploaders', '--clear', '--add', 'uma@example.com']), /use one of/);
  });
});

describe('roster groups delete', () => {
  it('asks (refuses without a terminal), then removes the memberships and keeps the users', async () => {
    failure(await owner.run(['groups', 'delete', 'No uploads']), 2, 'CONFIRMATION_REQUIRED');
    const gone = await owner.run(['groups', 'delete', 'No uploads', '--yes', '--json']);
    expect(okJson(gone)).toEqual({ id: expect.any(String), name: 'No uploads', removedMemberships: 1 });
    expect(okJson(await owner.run(['users', 'get', 'uma@example.com', '--json'])).status).toBe('active');
    expect(await check('uma@example.com', 'files.upload')).toEqual({ 'files.upload': true });
    failure(await owner.run(['groups', 'get', 'No uploads']), 1, 'GROUP_NOT_FOUND');
  });
});
