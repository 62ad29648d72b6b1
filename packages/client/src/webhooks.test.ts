import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from '@roster/core';
import { readWebhook, verifyWebhook, WebhookVerificationError } from './webhooks.ts';

// The receiving side against the sending side Roster's worker uses (core's signWebhook).
const secret = newWebhookSecret();
const now = Date.UTC(2026, 11, 5, 12);
const ts = Math.floor(now / 1000);
const body = JSON.stringify({ type: 'user.created', timestamp: new Date(now).toISOString(), data: { email: 'a@example.com' } });
const headers = { id: 'msg_1', timestamp: String(ts), signature: signWebhook(secret, 'msg_1', ts, body) };

describe('verifyWebhook', () => {
  it("accepts Roster's signature, also among others (key rotation sends several)", () => {
    expect(verifyWebhook(secret, headers, body, { now })).toBe(true);
    expect(verifyWebhook(secret, { ...headers, signature: `v1,AAAA ${headers.signature}` }, body, { now })).toBe(true);
  });

  it('refuses another secret, a changed body or id, and a timestamp outside the tolerance', () => {
    expect(verifyWebhook(newWebhookSecret(), headers, body, { now })).toBe(false);
    expect(verifyWebhook(secret, headers, body.replace('a@', 'b@'), { now })).toBe(false);
    expect(verifyWebhook(secret, { ...headers, id: 'msg_2' }, body, { now })).toBe(false);
    expect(verifyWebhook(secret, headers, body, { now: now + 301_000 })).toBe(false);
    expect(verifyWebhook(secret, headers, body, { now: now + 301_000, toleranceSeconds: 600 })).toBe(true);
    expect(verifyWebhook(secret, { ...headers, timestamp: 'soon' }, body, { now })).toBe(false);
  });
});

describe('readWebhook', () => {
  const raw = { 'webhook-id': headers.id, 'webhook-timestamp': headers.timestamp, 'webhook-signature': headers.signature };
  it('returns the event from Node or fetch headers', () => {
    expect(readWebhook(secret, raw, body, { now })).toMatchObject({ type: 'user.created', data: { email: 'a@example.com' } });
    expect(readWebhook(secret, new Headers(raw), body, { now }).type).toBe('user.created');
  });

  it('throws WebhookVerificationError for a missing header or a forged body', () => {
    expect(() => readWebhook(secret, { ...raw, 'webhook-signature': undefined }, body, { now })).toThrow(WebhookVerificationError);
    expect(() => readWebhook(secret, raw, body.replace('a@', 'b@'), { now })).toThrow(/signature does not match/);
  });
});
