/**
 * The object-level cases (authorization-objects.int.test.ts): each
 * procedure that names a user, file, session, notification, invitation, key
 * or endpoint, called by admin A on the owner, admin A on admin B, and user U
 * on user V, with the exact answer expected.
 */
import type { TestJar } from '@roster/test/support/api';

export type Who = 'owner' | 'adminA' | 'adminB' | 'userU' | 'userV';
export type Fixture = {
  id: Record<Who, string>;
  jar: Record<Who, TestJar>;
  file: Record<'owner' | 'adminB' | 'userV', string>;
  session: Record<'owner' | 'adminB' | 'userV', string>;
  notificationV: string;
  adminInvitation: string;
  /** One API key each (issue 13). */
  key: Record<'owner' | 'adminB' | 'userV', string>;
};
export type Case = { as: Who; path: string; input: (f: Fixture) => unknown; expect: string };

type Row = [path: string, input: (f: Fixture) => unknown, expect: string];
const cases = (as: Who, rows: Row[]): Case[] => rows.map(([path, input, expect]) => ({ as, path, input, expect }));

export const OWNER_PROTECTED = 'FORBIDDEN/OWNER_PROTECTED';
const ADMIN_PROTECTED = 'FORBIDDEN/ADMIN_PROTECTED';
const FORBIDDEN = 'FORBIDDEN/FORBIDDEN';
const NOT_FOUND = 'NOT_FOUND/NOT_FOUND';

/** Admin A on the owner: nothing but the row itself (get; the owner's usage stays in stats). */
export const ADMIN_ON_OWNER: Case[] = cases('adminA', [
  ['admin.users.get', (f) => ({ id: f.id.owner }), 'ok'],
  ['admin.users.update', (f) => ({ id: f.id.owner, quotaGiB: 0.000001 }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, name: 'Renamed by an admin' }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, avatarUrl: 'https://example.com/x.png' }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, storageLabel: 'taken' }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, role: 'user' }), OWNER_PROTECTED],
  ['admin.users.resetPassword', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.passwordResetLink', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.suspend', (f) => ({ id: f.id.owner, reason: 'coup' }), OWNER_PROTECTED],
  ['admin.users.unsuspend', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.sessions', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.revokeSession', (f) => ({ sessionId: f.session.owner }), OWNER_PROTECTED],
  ['admin.users.revokeAllSessions', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.owner, immediate: true }), OWNER_PROTECTED],
  ['admin.users.restore', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.purgeNow', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.deletionPreview', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.transferOwnership', (f) => ({ id: f.id.owner, password: 'x' }), FORBIDDEN],
  ['files.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.owner }), OWNER_PROTECTED],
  ['files.usage', (f) => ({ userId: f.id.owner }), OWNER_PROTECTED],
  // By file id the owner's files are as absent as anyone's are to a user: ids do not leak.
  ['files.get', (f) => ({ id: f.file.owner }), NOT_FOUND],
  ['files.delete', (f) => ({ id: f.file.owner }), NOT_FOUND],
  ['admin.notifications.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.owner }), 'ok'],
  // Groups and permissions: reading anyone's is an admin's job (the owner's are all true anyway); a user id is no group id.
  ['admin.users.groups', (f) => ({ id: f.id.owner }), 'ok'],
  ['admin.users.permissions', (f) => ({ id: f.id.owner }), 'ok'],
  ['permissions.check', (f) => ({ userId: f.id.owner, keys: ['files.upload'] }), 'ok'],
  ['admin.groups.get', (f) => ({ id: f.id.owner }), 'NOT_FOUND/GROUP_NOT_FOUND'],
  ['admin.groups.update', (f) => ({ id: f.id.owner, name: 'Taken over' }), 'NOT_FOUND/GROUP_NOT_FOUND'],
  ['admin.groups.delete', (f) => ({ id: f.id.owner }), 'NOT_FOUND/GROUP_NOT_FOUND'],
  // API keys: the owner's are not even listed to an admin; admins create keys for service accounts only.
  ['admin.apiKeys.list', (f) => ({ userId: f.id.owner }), 'ok'],
  ['admin.apiKeys.create', (f) => ({ userId: f.id.owner, name: 'planted', scopes: ['me'] }), FORBIDDEN],
  ['admin.apiKeys.revoke', (f) => ({ id: f.key.owner }), NOT_FOUND],
  // Webhooks: a user id is no endpoint id.
  ['admin.webhooks.update', (f) => ({ id: f.id.owner, enabled: false }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
  ['admin.webhooks.delete', (f) => ({ id: f.id.owner }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
  ['admin.webhooks.deliveries', (f) => ({ id: f.id.owner, page: 1, pageSize: 10 }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
  ['admin.webhooks.test', (f) => ({ id: f.id.owner }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
]);

/** Admin A on admin B with adminsCanCreateAdmins off: profile and files yes; credentials, role, sessions, suspension, deletion no. */
export const ADMIN_ON_ADMIN: Case[] = cases('adminA', [
  ['admin.users.get', (f) => ({ id: f.id.adminB }), 'ok'],
  ['admin.users.update', (f) => ({ id: f.id.adminB, name: 'adminB' }), 'ok'],
  ['admin.users.update', (f) => ({ id: f.id.adminB, role: 'user' }), ADMIN_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.adminB, email: 'taken-over@example.com' }), ADMIN_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.adminB, mustChangePassword: true }), ADMIN_PROTECTED],
  ['admin.users.resetPassword', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.passwordResetLink', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.suspend', (f) => ({ id: f.id.adminB, reason: 'coup' }), ADMIN_PROTECTED],
  ['admin.users.unsuspend', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.sessions', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.revokeSession', (f) => ({ sessionId: f.session.adminB }), ADMIN_PROTECTED],
  ['admin.users.revokeAllSessions', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.adminB, immediate: true }), ADMIN_PROTECTED],
  ['admin.users.restore', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.purgeNow', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.deletionPreview', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['files.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.adminB }), 'ok'],
  ['files.get', (f) => ({ id: f.file.adminB }), 'ok'],
  ['files.usage', (f) => ({ userId: f.id.adminB }), 'ok'],
  // An admin invitation is the owner's to resend while admins may not create admins; revoking one is not granting.
  ['admin.users.resendInvitation', (f) => ({ id: f.adminInvitation }), FORBIDDEN],
  ['admin.apiKeys.list', (f) => ({ userId: f.id.adminB }), 'ok'],
  ['admin.apiKeys.create', (f) => ({ userId: f.id.adminB, name: 'planted', scopes: ['me'] }), FORBIDDEN],
  ['admin.apiKeys.revoke', (f) => ({ id: f.key.adminB }), ADMIN_PROTECTED],
]);

/** User U on user V's things: the scope gate, or NOT_FOUND for objects addressed by their own id. */
export const USER_ON_USER: Case[] = cases('userU', [
  ['files.get', (f) => ({ id: f.file.userV }), NOT_FOUND],
  ['files.delete', (f) => ({ id: f.file.userV }), NOT_FOUND],
  ['files.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.userV }), FORBIDDEN],
  ['files.usage', (f) => ({ userId: f.id.userV }), FORBIDDEN],
  ['me.sessions.revoke', (f) => ({ sessionId: f.session.userV }), NOT_FOUND],
  // Marking someone else's notification read is a no-op (checked below: it stays unread).
  ['notifications.markRead', (f) => ({ ids: [f.notificationV] }), 'ok'],
  ['admin.users.get', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.users.sessions', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.notifications.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.userV }), FORBIDDEN],
  ['admin.users.revokeInvitation', (f) => ({ id: f.adminInvitation }), FORBIDDEN],
  ['admin.users.groups', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.users.permissions', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['permissions.check', (f) => ({ userId: f.id.userV, keys: [] }), FORBIDDEN],
  ['admin.groups.get', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.groups.update', (f) => ({ id: f.id.userV, name: 'Mine now' }), FORBIDDEN],
  ['admin.groups.delete', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['me.apiKeys.revoke', (f) => ({ id: f.key.userV }), 'NOT_FOUND/NOT_FOUND'],
  ['admin.apiKeys.list', (f) => ({ userId: f.id.userV }), FORBIDDEN],
  ['admin.apiKeys.create', (f) => ({ userId: f.id.userV, name: 'planted', scopes: ['me'] }), FORBIDDEN],
  ['admin.apiKeys.revoke', (f) => ({ id: f.key.userV }), FORBIDDEN],
  ['admin.webhooks.update', (f) => ({ id: f.id.userV, enabled: false }), FORBIDDEN],
  ['admin.webhooks.delete', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.webhooks.deliveries', (f) => ({ id: f.id.userV, page: 1, pageSize: 10 }), FORBIDDEN],
  ['admin.webhooks.test', (f) => ({ id: f.id.userV }), FORBIDDEN],
  // Jobs (a bulk action's progress and results) are an admin's to read, whoever started them.
  ['admin.jobs.get', () => ({ id: 'users.bulk.any' }), FORBIDDEN],
]);
