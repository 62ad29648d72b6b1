import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEvent } from '@roster/core/webhooks/events';

/** What Roster POSTs to an endpoint: `data` is the user as `admin.users.get` returns it, or `{group, change}`. */
export interface RosterWebhook {
  type: WebhookEvent | 'webhook.test';
  /** ISO time of the change. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** The three Standard Webhooks headers, as a receiver got them. */
export interface WebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

export interface VerifyOptions {
  /** How far `webhook-timestamp` may be from now, against replays (Standard Webhooks: 5 minutes). */
  toleranceSeconds?: number;
  /** Now, in ms (tests). */
  now?: number;
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

const key = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/**
 * Standard Webhooks: is one of the space-separated `v1,` signatures the
 * base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with the secret's
 * bytes, and is the timestamp recent? `body` is the raw request body.
 */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string, opts: VerifyOptions = {}): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts)) return false;
  if (Math.abs((opts.now ?? Date.now()) / 1000 - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const want = Buffer.from(`v1,${createHmac('sha256', key(secret)).update(`${headers.id}.${ts}.${body}`).digest('base64')}`);
  return headers.signature.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;
const header = (h: HeaderBag, name: string): string => {
  const v = h instanceof Headers ? h.get(name) : h[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

/**
 * Verifies a delivery from its request headers (a fetch `Headers` or Node's
 * `req.headers`) and raw body, and returns the parsed event; throws
 * WebhookVerificationError when the signature or timestamp does not hold.
 */
export function readWebhook(secret: string, headers: HeaderBag, body: string, opts?: VerifyOptions): RosterWebhook {
  const h = { id: header(headers, 'webhook-id'), timestamp: header(headers, 'webhook-timestamp'), signature: header(headers, 'webhook-signature') };
  if (!h.id || !h.timestamp || !h.signature) throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!verifyWebhook(secret, h, body, opts)) throw new WebhookVerificationError('signature does not match, or the timestamp is too old');
  return JSON.parse(body) as RosterWebhook;
}
