import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, snap, trpc, Pages, signIn, shots } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const GRACE = { name: 'Grace Hopper', email: 'grace@example.com', password: '' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com', password: 'visiting-hours-2024' };

let app: RunningApp;
let browser: Browser;
let admin: Page;
let pages: Pages;

const toast = (p: Page, text: string | RegExp) => p.getByTestId('toast').filter({ hasText: text }).waitFor();
const dialog = (p: Page, name: string | RegExp) => p.getByRole('dialog', { name });

// One story in order: each step starts where the previous one left the instance.
describe('user lifecycle in a browser', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    pages = new Pages(browser, app.baseUrl);
    admin = await pages.open();
    await trpc(admin.request, 'setup.createOwner', OWNER);
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await app?.stop();
  });

  it('an admin creates a user in the dialog; their first sign-in asks for a new password, then they reach their page', { timeout: 120_000 }, async () => {
    await admin.goto('/admin/users');
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Create user' }).click();
    const create = dialog(admin, 'Create user');
    await create.getByLabel('Name').fill(GRACE.name);
    await create.getByLabel('Email').fill('not-an-email');
    await create.getByLabel('Initial password').fill('short');
    await create.getByRole('button', { name: 'Create user' }).click();
    // The server's zod messages, next to their inputs.
    await create.getByText('Enter a valid email address').waitFor();
    await create.getByText('At least 8 characters').waitFor();
    await shots(admin, 'users-create-dialog-errors');

    await create.getByLabel('Email').fill(GRACE.email);
    await create.getByLabel('Generate one').check();
    await create.getByRole('button', { name: 'Create user' }).click();
    const created = dialog(admin, 'User created');
    GRACE.password = await created.getByTestId('secret').inputValue();
    expect(GRACE.password.length).toBeGreaterThanOrEqual(12);
    await toast(admin, 'Grace Hopper was created');
    await shots(admin, 'users-create-dialog-password', false);
    await created.getByRole('button', { name: 'Done' }).click();
    await admin.getByTestId('user-row').filter({ hasText: GRACE.email }).waitFor();

    const grace = await pages.open();
    await signIn(grace, GRACE);
    await grace.waitForURL('**/change-password');
    await grace.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // Every other page sends them back here until the password is changed.
    await grace.goto('/profile');
    await grace.waitForURL('**/change-password');
    await hydrated(grace);
    await shots(grace, 'change-password');
    await grace.getByLabel('Current password').fill(GRACE.password);
    GRACE.password = 'grace-hopper-own-1906';
    await grace.getByLabel('New password', { exact: true }).fill(GRACE.password);
    await grace.getByLabel('Confirm new password').fill(GRACE.password);
    await grace.getByRole('button', { name: 'Change password' }).click();
    await grace.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(new URL(grace.url()).pathname).toBe('/');

    // Their own profile, linked from their page: a status with an expiry, and their sessions.
    await grace.getByRole('link', { name: 'Your profile' }).click();
    await grace.waitForURL('**/profile');
    await hydrated(grace);
    await grace.getByLabel('Message').fill('Writing a compiler');
    await grace.getByRole('button', { name: '🎧' }).click();
    await grace.getByLabel('Clear after').selectOption('4h');
    await grace.getByRole('button', { name: 'Set status' }).click();
    await toast(grace, 'Status set');
    await grace.getByTestId('current-status').filter({ hasText: 'Writing a compiler' }).waitFor();
    await grace.getByTestId('session').filter({ hasText: 'This device' }).waitFor();
    await shots(grace, 'profile');
  });

  it('with sign-up enabled in the settings, a visitor signs up, waits for approval, and gets in once approved', { timeout: 120_000 }, async () => {
    await admin.goto('/admin/settings');
    await hydrated(admin);
    await admin.getByLabel('Allow sign-up').check();
    await admin.getByLabel('Minimum password length').fill('7');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.locator('#field-passwordMinLength-error').waitFor();
    await shots(admin, 'settings-error', false);
    await admin.getByLabel('Minimum password length').fill('12');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await toast(admin, 'Settings saved');
    await admin.locator('#field-passwordMinLength-error').waitFor({ state: 'detached' });
    await shots(admin, 'settings');

    const vera = await pages.open();
    await vera.goto('/signin');
    await vera.getByRole('link', { name: 'Create an account' }).click();
    await vera.waitForURL('**/signup');
    await hydrated(vera);
    await vera.getByText('At least 12 characters.').waitFor();
    await vera.getByLabel('Name').fill(VISITOR.name);
    await vera.getByLabel('Email').fill(VISITOR.email);
    await vera.getByLabel('Password', { exact: true }).fill(VISITOR.password);
    await vera.getByLabel('Confirm password').fill(VISITOR.password);
    await shots(vera, 'signup', false);
    await vera.getByRole('button', { name: 'Create account' }).click();
    await vera.waitForURL('**/pending');
    await vera.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    await vera.goto('/profile');
    await vera.waitForURL('**/pending');
    await hydrated(vera);
    await shots(vera, 'pending');

    await admin.goto('/admin/users');
    await hydrated(admin);
    await admin.getByText('1 account is waiting for approval.').click();
    await admin.waitForURL((u) => u.searchParams.get('role') === 'pending');
    await hydrated(admin);
    await shots(admin, 'users-pending');
    await admin.getByRole('button', { name: `Approve ${VISITOR.name}` }).click();
    await toast(admin, `${VISITOR.name} can now sign in`);
    await admin.getByText('Nobody is waiting').waitFor();

    await vera.getByRole('link', { name: 'Check again' }).click();
    await vera.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(new URL(vera.url()).pathname).toBe('/');
  });

  it('a user’s page: reset link, sessions, suspension, reset password and the owner’s transfer dialog', { timeout: 120_000 }, async () => {
    await admin.goto('/admin/users');
    await hydrated(admin);
    await admin.getByRole('link', { name: GRACE.name }).click();
    await admin.getByRole('heading', { name: GRACE.name }).waitFor();
    await hydrated(admin);
    await shots(admin, 'user-detail');

    await admin.getByRole('button', { name: 'Edit' }).click();
    const editing = dialog(admin, `Edit ${GRACE.name}`);
    await editing.getByLabel('Avatar URL').fill('not a url');
    await editing.getByLabel('Quota (GiB)').fill('2.5');
    await editing.getByLabel('Storage label').fill('Grace.Hopper');
    await editing.getByRole('button', { name: 'Save changes' }).click();
    await editing.getByText('Enter a full https:// address of an image (e.g. https://example.com/me.png)').waitFor();
    await shots(admin, 'user-edit-dialog', false);
    await editing.getByLabel('Avatar URL').fill('');
    await editing.getByRole('button', { name: 'Save changes' }).click();
    await toast(admin, `${GRACE.name} was saved`);
    // Stored normalised: lower case, only [a-z0-9._-].
    await admin.getByText('grace.hopper', { exact: true }).waitFor();
    await admin.getByText('2.5 GB', { exact: true }).waitFor();

    await admin.getByRole('button', { name: 'Reset link' }).click();
    await dialog(admin, 'Create a reset link?').getByRole('button', { name: 'Create link' }).click();
    const link = await dialog(admin, 'Password reset link').getByTestId('secret').inputValue();
    expect(link).toMatch(new RegExp(`^${app.baseUrl}/reset/[A-Za-z0-9]+$`));
    await snap(admin, 'user-reset-link-light-desktop');
    await dialog(admin, 'Password reset link').getByRole('button', { name: 'Done' }).click();

    const grace = await pages.open();
    await grace.goto(link);
    await grace.getByText(`For ${GRACE.email}.`).waitFor();
    await hydrated(grace);
    await shots(grace, 'reset-link-page', false);
    GRACE.password = 'grace-reset-by-link-1952';
    await grace.getByLabel('New password', { exact: true }).fill(GRACE.password);
    await grace.getByLabel('Confirm new password').fill(GRACE.password);
    await grace.getByRole('button', { name: 'Set password' }).click();
    await grace.getByRole('heading', { name: 'Password changed' }).waitFor();
    await signIn(grace, GRACE);
    await grace.getByRole('heading', { name: 'Your account' }).waitFor();

    await admin.reload();
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Sessions (1)' }).click();
    const drawer = dialog(admin, 'Sessions');
    await drawer.getByTestId('session').first().waitFor();
    await shots(admin, 'user-sessions-drawer');
    await drawer.getByRole('button', { name: 'Sign out of all sessions…' }).click();
    await drawer.getByRole('button', { name: 'Sign out everywhere' }).click();
    await toast(admin, 'Signed out of 1 session');
    await drawer.getByText('No active sessions.').waitFor();
    await drawer.getByRole('button', { name: 'Close' }).click();

    await admin.getByRole('button', { name: 'Suspend' }).click();
    const suspend = dialog(admin, `Suspend ${GRACE.name}?`);
    await suspend.getByRole('button', { name: 'Suspend' }).click();
    await suspend.getByText('Give a reason').waitFor();
    await suspend.getByLabel('Reason').fill('Laptop stolen');
    await shots(admin, 'user-suspend-dialog', false);
    await suspend.getByRole('button', { name: 'Suspend' }).click();
    await toast(admin, `${GRACE.name} is suspended`);
    await admin.getByText('Reason: Laptop stolen').waitFor();
    await shots(admin, 'user-suspended', false);
    await admin.getByRole('button', { name: 'Lift suspension' }).first().click();
    await toast(admin, `${GRACE.name} can sign in again`);

    await admin.getByRole('button', { name: 'Reset password' }).click();
    await dialog(admin, 'Reset password?').getByRole('button', { name: 'Reset password' }).click();
    expect((await dialog(admin, 'New password').getByTestId('secret').inputValue()).length).toBeGreaterThanOrEqual(12);
    await shots(admin, 'user-reset-password', false);
    await dialog(admin, 'New password').getByRole('button', { name: 'Done' }).click();

    await admin.getByRole('button', { name: 'Transfer ownership' }).click();
    const transfer = dialog(admin, 'Transfer ownership');
    const confirm = transfer.getByRole('button', { name: 'Transfer ownership' });
    expect(await confirm.isDisabled()).toBe(true);
    await transfer.getByLabel(`Type ${GRACE.email} to confirm`).fill(GRACE.email.toUpperCase());
    expect(await confirm.isEnabled()).toBe(true);
    await shots(admin, 'user-transfer-dialog', false);
    await transfer.getByRole('button', { name: 'Cancel' }).click();
  });

  it('invitations: invite with a one-time link, the invitee joins from it, and the list shows it accepted', { timeout: 120_000 }, async () => {
    await admin.goto('/admin/users/invitations');
    await hydrated(admin);
    await admin.getByText('No invitations yet').waitFor();
    await admin.getByRole('button', { name: 'Invite' }).click();
    const invite = dialog(admin, 'Invite someone');
    await invite.getByLabel('Email').fill('Linus@Example.com');
    await invite.getByRole('button', { name: 'Create invitation' }).click();
    const link = await dialog(admin, 'Invitation link').getByTestId('secret').inputValue();
    expect(link).toMatch(new RegExp(`^${app.baseUrl}/invite/[A-Za-z0-9]+$`));
    await shots(admin, 'invite-dialog-link', false);
    await dialog(admin, 'Invitation link').getByRole('button', { name: 'Done' }).click();
    await admin.getByTestId('invitation-row').filter({ hasText: 'linus@example.com' }).filter({ hasText: 'Pending' }).waitFor();
    await shots(admin, 'invitations');

    const linus = await pages.open();
    await linus.goto(link);
    await linus.getByText('linus@example.com').waitFor();
    await hydrated(linus);
    await shots(linus, 'invite-page', false);
    await linus.getByLabel('Name').fill('Linus Torvalds');
    await linus.getByLabel('Password', { exact: true }).fill('penguins-everywhere-1991');
    await linus.getByLabel('Confirm password').fill('penguins-everywhere-1991');
    await linus.getByRole('button', { name: 'Create account' }).click();
    await linus.getByRole('heading', { name: 'Your account' }).waitFor();

    await admin.reload();
    await admin.getByTestId('invitation-row').filter({ hasText: 'linus@example.com' }).filter({ hasText: 'Accepted' }).waitFor();
    await linus.goto(link);
    await linus.getByRole('heading', { name: 'Invitation not valid' }).waitFor();
  });
});
