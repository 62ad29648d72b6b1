/**
 * Issue 11 in a browser: the default template takes upload away, a group
 * grants it back, and the upload page follows; groups made and edited with
 * checkboxes; members added by search, with an end, and removed; managers;
 * the group filter and a user's effective permissions.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, snap, trpc, trpcQuery as query, Pages, signIn, shots } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const UMA = { name: 'Uma Uploader', email: 'uma@example.com', password: 'uma-password-2026' };
const VIC = { name: 'Vic Visitor', email: 'vic@example.com', password: 'vic-password-2026' };

let app: RunningApp;
let browser: Browser;
let admin: Page;
let uma: Page;
let groupId: string;
let pages: Pages;

const toast = (p: Page, text: string | RegExp) => p.getByTestId('toast').filter({ hasText: text }).first().waitFor();
const nav = (p: Page, name: string) => p.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name, exact: true });
const member = (p: Page, name: string) => p.getByTestId('member-row').filter({ hasText: name });

/** Chooses `name` in the add-members search and adds them (with an end to the membership when `expires` is given). */
async function addMember(p: Page, scope: ReturnType<Page['locator']>, name: string, expires?: string) {
  const search = scope.getByRole('combobox', { name: 'Add people' });
  await search.fill(name.split(' ')[0]!);
  await scope.getByRole('option', { name: new RegExp(name) }).click();
  await scope.getByTestId('chosen-user').filter({ hasText: name }).waitFor();
  if (expires) await scope.getByLabel('Membership ends').selectOption({ label: expires });
  await scope.getByRole('button', { name: 'Add to group' }).click();
}

describe('groups and permissions in a browser', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    pages = new Pages(browser, app.baseUrl);
    admin = await pages.open();
    await trpc(admin.request, 'setup.createOwner', OWNER);
    for (const who of [UMA, VIC]) await trpc(admin.request, 'admin.users.create', { ...who, role: 'user', mustChangePassword: false });
    // setup.createOwner signed this context in.
    await admin.goto('/admin/users');
    uma = await pages.open();
    await signIn(uma, UMA);
    await uma.waitForURL((u) => u.pathname === '/');
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await app?.stop();
  });

  it('takes upload away in the default template: the next upload is refused with a clear message, then the page says so', { timeout: 90_000 }, async () => {
    // Uma's upload page is open while upload is still allowed.
    await uma.goto('/files');
    await hydrated(uma);
    await uma.locator('input[type=file]').waitFor({ state: 'attached' });

    await nav(admin, 'Groups').click();
    await admin.waitForURL('**/admin/groups');
    await admin.getByText('No groups yet').waitFor();
    await shots(admin, 'groups-empty', false);
    await admin.getByRole('navigation', { name: 'Groups and permissions' }).getByRole('link', { name: 'Default permissions' }).click();
    await admin.waitForURL('**/admin/permissions');
    await hydrated(admin);
    expect(await nav(admin, 'Groups').getAttribute('aria-current')).toBe('page');
    const upload = admin.getByRole('checkbox', { name: /files\.upload/ });
    expect(await upload.isChecked()).toBe(true);
    await upload.uncheck();
    await admin.getByRole('button', { name: 'Save defaults' }).click();
    await toast(admin, 'Default permissions saved');
    expect(await admin.getByTestId('defaults-summary').textContent()).toMatch(/1 of \d+ permissions off by default/);
    expect((await query(admin.request, 'admin.permissions.getDefault')).permissions['files.upload']).toBe(false);
    await shots(admin, 'permissions-defaults');

    // The page Uma already has open: the server refuses, and the item says why.
    await uma.locator('input[type=file]').setInputFiles({ name: 'refused.bin', mimeType: 'application/octet-stream', buffer: randomBytes(512) });
    const refused = uma.getByTestId('upload-item').filter({ hasText: 'refused.bin' });
    await refused.and(uma.locator('[data-status=error]')).waitFor();
    expect(await refused.getByRole('alert').textContent()).toContain('Uploading is not allowed for this account');
    await snap(uma, 'files-upload-refused-light-desktop');
    // The next visit offers no drop zone, only the reason.
    await uma.reload();
    await uma.getByTestId('upload-not-allowed').waitFor();
    expect(await uma.getByTestId('upload-not-allowed').textContent()).toContain('Uploading is not allowed for this account.');
    expect(await uma.locator('input[type=file]').count()).toBe(0);
    expect(await uma.getByTestId('file-row').count()).toBe(0);
    await shots(uma, 'files-upload-not-allowed');
  });

  it('creates a group with checkboxes, adds Uma by search, and her upload page allows upload again', { timeout: 90_000 }, async () => {
    await admin.goto('/admin/groups');
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Create group' }).click();
    const create = admin.getByRole('dialog', { name: 'Create group' });
    await create.getByLabel('Name', { exact: true }).fill('Uploaders');
    await create.getByLabel('Description').fill('People who share files');
    const grant = create.getByRole('checkbox', { name: /^Grant .*upload/i });
    const deny = create.getByRole('checkbox', { name: /^Deny .*upload/i });
    await deny.check();
    // Grant and deny of one key exclude each other.
    await grant.check();
    expect(await deny.isChecked()).toBe(false);
    await shots(admin, 'groups-create-dialog', false);
    await create.getByRole('button', { name: 'Create group' }).click();
    await admin.waitForURL(/\/admin\/groups\/[0-9a-f-]{36}/);
    groupId = admin.url().match(/groups\/([0-9a-f-]{36})/)![1]!;
    await hydrated(admin);
    await admin.getByRole('heading', { name: 'Uploaders', level: 1 }).waitFor();
    await toast(admin, 'Uploaders created; add its members');
    const g = await query(admin.request, 'admin.groups.get', { id: groupId });
    expect(g).toMatchObject({ name: 'Uploaders', description: 'People who share files', grants: ['files.upload'], denies: [] });

    // A second group of the same name, in any case, is refused in the dialog.
    await admin.goto('/admin/groups');
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Create group' }).click();
    const again = admin.getByRole('dialog', { name: 'Create group' });
    await again.getByLabel('Name', { exact: true }).fill('uploaders');
    await again.getByRole('button', { name: 'Create group' }).click();
    await again.getByText('A group with this name exists').waitFor();
    expect(await again.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await again.getByRole('button', { name: 'Cancel' }).click();
    expect(await admin.getByTestId('group-row').count()).toBe(1);
    expect(await admin.getByTestId('group-row').innerText()).toMatch(/Uploaders[\s\S]*People who share files[\s\S]*0[\s\S]*Upload files/);
    await shots(admin, 'groups-list');
    await admin.getByTestId('group-row').getByRole('link', { name: 'Uploaders' }).click();
    await admin.waitForURL(`**/admin/groups/${groupId}`);
    await hydrated(admin);

    const members = admin.getByRole('region', { name: 'Members' });
    await addMember(admin, members, UMA.name);
    await toast(admin, '1 added');
    await member(admin, UMA.name).waitFor();
    await shots(admin, 'group-page');

    await uma.goto('/files');
    await hydrated(uma);
    expect(await uma.getByTestId('upload-not-allowed').count()).toBe(0);
    await uma.locator('input[type=file]').setInputFiles({ name: 'granted.txt', mimeType: 'text/plain', buffer: Buffer.from('allowed through Uploaders') });
    await uma.getByTestId('upload-item').filter({ hasText: 'granted.txt' }).and(uma.locator('[data-status=done]')).waitFor();
    await uma.getByTestId('file-row').filter({ hasText: 'granted.txt' }).waitFor();
    expect((await query(uma.request, 'me.permissions')).permissions['files.upload']).toBe(true);
    await snap(uma, 'files-upload-granted-light-desktop');
  });

  it('edits the group: name and description in a dialog, grants and denies in the permissions card', async () => {
    await admin.goto(`/admin/groups/${groupId}`);
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = admin.getByRole('dialog', { name: 'Edit Uploaders' });
    await edit.getByLabel('Description').fill('People who may upload files');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await toast(admin, 'Uploaders saved');
    await admin.getByText('People who may upload files').waitFor();

    const perms = admin.getByRole('region', { name: 'Permissions' });
    expect(await perms.getByRole('checkbox', { name: /^Grant .*upload/i }).isChecked()).toBe(true);
    await perms.getByRole('checkbox', { name: /^Deny .*avatar/i }).check();
    await perms.getByRole('button', { name: 'Save permissions' }).click();
    await toast(admin, 'Permissions of Uploaders saved');
    const g = await query(admin.request, 'admin.groups.get', { id: groupId });
    expect(g.grants).toEqual(['files.upload']);
    expect(g.denies).toEqual(['profile.editAvatar']);
  });

  it('adds a member with an end date, makes them a manager, and removes them', async () => {
    await admin.goto(`/admin/groups/${groupId}`);
    await hydrated(admin);
    const members = admin.getByRole('region', { name: 'Members' });
    await addMember(admin, members, VIC.name, 'In 1 week');
    await toast(admin, '1 added');
    const vic = member(admin, VIC.name);
    await vic.waitFor();
    // Relative ("next week"), the exact instant in the title.
    expect(await vic.textContent()).toMatch(/Ends next week/);
    const ends = Date.parse((await vic.locator('time').getAttribute('datetime'))!);
    expect(Math.abs(ends - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);

    await vic.getByRole('button', { name: `Make ${VIC.name} a manager` }).click();
    await toast(admin, `${VIC.name} now manages Uploaders`);
    await vic.getByText('Manager', { exact: true }).waitFor();
    const g = await query(admin.request, 'admin.groups.get', { id: groupId });
    expect(g.members.find((m: any) => m.name === VIC.name)).toMatchObject({ manager: true });
    await shots(admin, 'group-page-members');

    await vic.getByRole('button', { name: `Remove ${VIC.name} as manager` }).click();
    await toast(admin, `${VIC.name} no longer manages Uploaders`);
    await vic.getByRole('button', { name: `Remove ${VIC.name} from Uploaders` }).click();
    await toast(admin, '1 removed');
    await vic.waitFor({ state: 'detached' });
    expect(await member(admin, UMA.name).count()).toBe(1);
  });

  it('filters the users list by group, in the URL', async () => {
    await admin.goto('/admin/users');
    await hydrated(admin);
    expect(await admin.getByTestId('user-row').count()).toBe(3);
    await admin.getByLabel('Group').selectOption({ label: 'Uploaders' });
    await admin.waitForURL(`**/admin/users?group=${groupId}`);
    await expect.poll(() => admin.getByTestId('user-row').count()).toBe(1);
    expect(await admin.getByTestId('user-row').textContent()).toContain(UMA.email);
    await shots(admin, 'users-group-filter', false);
    // The URL alone gives the same view.
    const other = await pages.open();
    await other.context().addCookies(await admin.context().cookies());
    await other.goto(`/admin/users?group=${groupId}`);
    expect(await other.getByTestId('user-row').count()).toBe(1);
    expect(await other.getByLabel('Group').inputValue()).toBe(groupId);
  });

  it("shows a user's groups and where each effective permission comes from", async () => {
    const { items } = await query(admin.request, 'admin.users.list', { query: UMA.email, page: 1, pageSize: 5 });
    await admin.goto(`/admin/users/${items[0].id}`);
    await hydrated(admin);
    await admin.getByTestId('user-groups').getByRole('link', { name: 'Uploaders' }).waitFor();
    const row = (key: string) => admin.locator(`[data-testid=permission-row][data-key="${key}"]`);
    const text = async (key: string) => (await row(key).innerText()).replace(/\s+/g, ' ');
    expect(await row('files.upload').getAttribute('data-allowed')).toBe('true');
    expect(await text('files.upload')).toContain('Granted by Uploaders');
    expect(await row('profile.editAvatar').getAttribute('data-allowed')).toBe('false');
    expect(await text('profile.editAvatar')).toContain('Denied by Uploaders');
    expect(await text('files.download')).toContain('Default');
    await shots(admin, 'user-permissions');
    // Deleting her would remove the membership: the preview says so.
    await admin.getByRole('button', { name: 'Delete', exact: true }).click();
    const del = admin.getByRole('dialog', { name: `Delete ${UMA.name}?` });
    await del.getByText('1 group membership', { exact: false }).waitFor();
    await del.getByRole('button', { name: 'Cancel' }).click();

    // Uma's own profile: the avatar her group denies is read-only and says why; her name stays hers to change.
    await uma.goto('/profile');
    await hydrated(uma);
    expect(await uma.getByLabel('Avatar URL').getAttribute('readonly')).not.toBeNull();
    expect(await uma.getByLabel('Name', { exact: true }).getAttribute('readonly')).toBeNull();
    await uma.getByText('Not allowed for this account: an administrator decides.').waitFor();
    await snap(uma, 'profile-avatar-denied-light-desktop');
  });

  it('deletes a group behind a confirm dialog; its members keep their accounts', async () => {
    const temp = await trpc(admin.request, 'admin.groups.create', { name: 'Temporary', grants: [], denies: ['files.upload'] });
    const { items } = await query(admin.request, 'admin.users.list', { query: UMA.email, page: 1, pageSize: 5 });
    await trpc(admin.request, 'admin.groups.addMembers', { groupId: temp.id, userIds: [items[0].id] });
    expect((await query(uma.request, 'me.permissions')).permissions['files.upload']).toBe(false);
    await admin.goto(`/admin/groups/${temp.id}`);
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Delete group' }).click();
    const confirm = admin.getByRole('dialog', { name: 'Delete Temporary?' });
    expect(await confirm.innerText()).toContain('Its 1 member loses what it grants, and what it denies is no longer taken from them.');
    await snap(admin, 'group-delete-dialog-light-desktop');
    await confirm.getByRole('button', { name: 'Delete group' }).click();
    await admin.waitForURL((u) => u.pathname === '/admin/groups');
    await toast(admin, 'Group deleted; its members keep their accounts');
    await expect.poll(() => admin.url()).not.toContain('deleted=1');
    expect(await admin.getByTestId('group-row').allInnerTexts()).toEqual([expect.stringContaining('Uploaders')]);
    expect((await query(admin.request, 'admin.users.get', { id: items[0].id })).status).toBe('active');
    expect((await query(uma.request, 'me.permissions')).permissions['files.upload']).toBe(true);
  });

  it('reads the pages and saves the defaults without JavaScript', async () => {
    const p = await pages.open({ javaScriptEnabled: false, storageState: await admin.context().storageState() });
    await p.goto(`/admin/groups/${groupId}`);
    await member(p, UMA.name).waitFor();
    expect(await p.getByRole('checkbox', { name: /^Grant .*upload/i }).isChecked()).toBe(true);
    await p.goto('/admin/permissions');
    await p.getByRole('checkbox', { name: /files\.upload/ }).check();
    await p.getByRole('button', { name: 'Save defaults' }).click();
    await p.getByRole('status').filter({ hasText: 'Default permissions saved' }).first().waitFor();
    expect((await query(admin.request, 'admin.permissions.getDefault')).permissions['files.upload']).toBe(true);
    expect(await p.getByRole('checkbox', { name: /files\.upload/ }).isChecked()).toBe(true);
  });
});
