/**
 * The events an endpoint may subscribe to. They are produced by the triggers
 * of migration 0024 from the audit row every change writes in its own
 * transaction (the action in brackets), so the mapping has one place:
 * - user.created (user.create, invitation.accept), user.signedUp (user.signUp)
 * - user.updated (user.update), plus user.roleChanged when the role changed
 *   and user.approved when it went from pending to user or admin
 * - user.suspended / user.unsuspended, user.deleted (data.user.purgeAt),
 *   user.restored, user.purged (the purge's last step)
 * - quota.warning: usage crossed 90 % of the quota (users.quota_warned_percent)
 * - group.membershipChanged (group.members.add / remove, group.member.expired)
 */
export const WEBHOOK_EVENTS = [
  'user.created',
  'user.signedUp',
  'user.approved',
  'user.updated',
  'user.roleChanged',
  'user.suspended',
  'user.unsuspended',
  'user.deleted',
  'user.restored',
  'user.purged',
  'quota.warning',
  'group.membershipChanged',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by `admin.webhooks.test` only; nobody subscribes to it. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';
