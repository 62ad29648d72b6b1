import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { percentLabel, usageLevel } from '../usage-level.ts';

/** What the header shows when the signed-in user has an unread quota warning. */
export interface QuotaWarning {
  percent: string;
  full: boolean;
  /** The unread notifications a "Dismiss" marks as read. */
  ids: string[];
}

const QUOTA_KIND = 'storage.quota';

/**
 * The server records a notification per threshold crossed (80, 90, 100 %);
 * the banner shows while one is unread and usage is still that high, with
 * today's figure rather than the threshold's, and goes once dismissed.
 */
export async function quotaWarning(
  event: Pick<RequestEvent, 'locals'>,
  me: { usageBytes: number; quotaBytes: number | null },
): Promise<QuotaWarning | null> {
  const level = usageLevel(me.usageBytes, me.quotaBytes);
  if (level === 'ok') return null; // usage fell back: nothing to warn about, no query
  const { items } = await api(event).notifications.list({ page: 1, pageSize: 50, unreadOnly: true });
  const ids = items.filter((n) => n.kind === QUOTA_KIND).map((n) => n.id);
  if (!ids.length) return null;
  return { percent: percentLabel(me.usageBytes, me.quotaBytes)!, full: level === 'full', ids };
}

/** Form action body: marks the posted warnings read; the caller redirects back. */
export async function dismissQuotaWarning(event: Pick<RequestEvent, 'locals'>, form: FormData): Promise<void> {
  const ids = form.getAll('id').map(String).filter(Boolean).slice(0, 50);
  if (ids.length) await api(event).notifications.markRead({ ids });
}
