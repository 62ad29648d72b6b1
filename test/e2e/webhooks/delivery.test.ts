import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '@roster/client';
import { sweepWebhookJobs } from '@roster/jobs';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startReceiver } from '../../support/webhook-receiver.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/** Webhooks through the real worker process (relay, BullMQ, signing) to a receiver on 127.0.0.1. */
let fx: DeletionFixture;
let worker: WorkerProcess;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  fx = await deletionFixture();
  receiver = await startReceiver();
  worker = await startWorkerProcess({
    databaseUrl: fx.api.databaseUrl,
    redisUrl: fx.redisUrl,
    dataDir: fx.dataDir,
    env: { ROSTER_WEBHOOK_POLL_MS: '100', ROSTER_WEBHOOK_BACKOFF_MS: '200', ROSTER_WEBHOOK_ATTEMPTS: '4' },
  });
});
afterAll(async () => {
  await worker?.kill();
  await receiver?.close();
  await fx?.close();
});

const hooks = () => fx.api.as(fx.ownerJar).admin.webhooks;
const log = async (id: string) => (await hooks().deliveries({ id, page: 1, pageSize: 50 })).items;
const delivered = (id: string, n = 1) => waitUntil(async () => (await log(id)).filter((d) => d.status === 'succeeded').length >= n, 20_000, 'the delivery');
const hooksFor = (email: string) => receiver.received.filter((r) => r.body.includes(email));
const signatureOk = (secret: string, r: { headers: Record<string, unknown>; body: string }) =>
  verifyWebhook(secret, { id: String(r.headers['webhook-id']), timestamp: String(r.headers['webhook-timestamp']), signature: String(r.headers['webhook-signature']) }, r.body);

describe('webhook delivery', () => {
  it('POSTs user.created, signed per Standard Webhooks (recomputed here)', { timeout: 60_000 }, async () => {
    receiver.answer([200]);
    const ep = await hooks().create({ url: receiver.url, events: ['user.created'], allowPrivateNetwork: true });
    const u = await fx.makeUser();
    await waitUntil(() => hooksFor(u.email).length > 0, 20_000, 'the webhook at the receiver');
    const [got] = hooksFor(u.email);
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({ type: 'user.created', data: { id: u.id, email: u.email, role: 'user', status: 'active' } });
    expect(got!.headers['content-type']).toBe('application/json');
    const [row] = (await log(ep.id)).filter((d) => d.event === 'user.created');
    expect(got!.headers['webhook-id']).toBe(row!.id);
    expect(Math.abs(Number(got!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signatureOk(ep.secret, got!)).toBe(true);
    // The check is real: another secret or a changed body fails.
    expect(signatureOk('whsec_' + Buffer.alloc(32, 1).toString('base64'), got!)).toBe(false);
    expect(signatureOk(ep.secret, { ...got!, body: got!.body.replace(u.email, 'x@example.com') })).toBe(false);
    await delivered(ep.id);
    expect((await log(ep.id))[0]).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, lastError: null });
    await hooks().delete({ id: ep.id });
  });

  it('retries after a 500 with backoff, recording each attempt; the same id and body each time', { timeout: 60_000 }, async () => {
    receiver.answer([500, 500, 200]);
    const ep = await hooks().create({ url: receiver.url, events: ['user.created'], allowPrivateNetwork: true });
    const u = await fx.makeUser();
    await delivered(ep.id);
    const tries = hooksFor(u.email);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.headers['webhook-id'])).size).toBe(1);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    for (const t of tries) expect(signatureOk(ep.secret, t)).toBe(true);
    const [d] = await log(ep.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200, lastError: null });
    expect((await hooks().list()).items.find((e) => e.id === ep.id)).toMatchObject({ firstFailureAt: null, lastSuccessAt: expect.any(String) });
    await hooks().delete({ id: ep.id });
  });

  it('gives up after the last attempt, marked failed with the last status', { timeout: 60_000 }, async () => {
    receiver.answer([503]);
    const ep = await hooks().create({ url: receiver.url, events: ['user.created'], allowPrivateNetwork: true });
    const u = await fx.makeUser();
    await waitUntil(async () => (await log(ep.id))[0]?.status === 'failed', 30_000, 'the last attempt');
    expect((await log(ep.id))[0]).toMatchObject({ attempts: 4, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(hooksFor(u.email)).toHaveLength(4);
    expect((await hooks().list()).items.find((e) => e.id === ep.id)).toMatchObject({ enabled: true, firstFailureAt: expect.any(String) });

    // Replay: a new delivery of the same event, signed with its own id.
    receiver.answer([200]);
    const replay = await hooks().replay({ deliveryId: (await log(ep.id))[0]!.id });
    expect(replay).toMatchObject({ event: 'user.created', status: 'pending', replayOf: expect.any(String) });
    await delivered(ep.id);
    const last = hooksFor(u.email).at(-1)!;
    expect(last.headers['webhook-id']).toBe(replay.id);
    expect(signatureOk(ep.secret, last)).toBe(true);
    await hooks().delete({ id: ep.id });
  });

  it('sends a webhook.test event through the same path', { timeout: 60_000 }, async () => {
    receiver.answer([200]);
    const ep = await hooks().create({ url: receiver.url, events: ['user.deleted'], allowPrivateNetwork: true });
    const before = receiver.received.length;
    const d = await hooks().test({ id: ep.id });
    await delivered(ep.id);
    const got = receiver.received.slice(before).find((r) => r.headers['webhook-id'] === d.id)!;
    expect(JSON.parse(got.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: ep.id } });
    expect(signatureOk(ep.secret, got)).toBe(true);
    await hooks().delete({ id: ep.id });
  });

  it('the sweep queues again a delivery whose job Redis lost', { timeout: 60_000 }, async () => {
    receiver.answer([200]);
    const ep = await hooks().create({ url: receiver.url, events: ['user.created'], allowPrivateNetwork: true });
    // As the relay leaves a row it handed to BullMQ, twenty minutes ago, with the job since lost (FLUSHALL, no AOF).
    const [d] = await fx.sql<{ id: string }[]>(
      `insert into webhook_deliveries (id, endpoint_id, event, occurred_at, data, status, relayed_at)
       values (gen_random_uuid(), ?, 'webhook.test', now(), '{"lost":true}', 'queued', now() - interval '20 minutes') returning id`,
      [ep.id],
    );
    expect(await fx.queue.getJob(d!.id)).toBeUndefined();
    expect(await sweepWebhookJobs({ em: fx.deps().em, queue: fx.queue }, { attempts: 2, backoffMs: 100 })).toBe(1);
    await delivered(ep.id);
    expect(receiver.received.some((r) => r.headers['webhook-id'] === d!.id)).toBe(true);
    // Once delivered, a second sweep finds nothing to do.
    expect(await sweepWebhookJobs({ em: fx.deps().em, queue: fx.queue }, { attempts: 2, backoffMs: 100 })).toBe(0);
    await hooks().delete({ id: ep.id });
  });

  it('refuses at delivery a name that resolves to loopback when the endpoint has no allowance (no request sent)', { timeout: 60_000 }, async () => {
    receiver.answer([200]);
    // As if the URL passed the check at create and its name now resolves to loopback (DNS rebinding): written directly.
    const [ep] = await fx.sql<{ id: string }[]>(
      `insert into webhook_endpoints (id, url, events, secret) values (gen_random_uuid(), ?, '{user.created}', 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=') returning id`,
      [`http://localhost:${receiver.port}/hook`],
    );
    const before = receiver.received.length;
    const u = await fx.makeUser();
    await waitUntil(async () => (await log(ep!.id))[0]?.status === 'failed', 20_000, 'the refusal');
    expect((await log(ep!.id))[0]).toMatchObject({ attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/^Refused: localhost resolves to .*(127\.0\.0\.1|::1)/) });
    expect(receiver.received.slice(before).filter((r) => r.body.includes(u.email))).toEqual([]);
    await hooks().delete({ id: ep!.id });
  });
});
