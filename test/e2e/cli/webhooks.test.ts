import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, okJson, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

/** `roster webhooks …` as an operator runs it (no worker here: deliveries stay in the log as pending; delivery is test/e2e/webhooks). */
let app: RunningApp;
let owner: CliSandbox;
beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  owner = new CliSandbox();
  const r = await owner.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => app?.stop());

describe('roster webhooks', () => {
  it('create refuses loopback without the flag (exit 1, code and hint on stderr), and names unknown events', async () => {
    const r = await owner.run(['webhooks', 'create', 'http://127.0.0.1:9/hook', '--event', 'user.created']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error WEBHOOK_URL_REFUSED: .*private or loopback/);
    expect(r.stderr).toMatch(/hint: .*--allow-private-network/);
    const bad = await owner.run(['webhooks', 'create', 'http://127.0.0.1:9/hook', '--event', 'user.exploded', '--allow-private-network']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error VALIDATION: /);
    const none = await owner.run(['webhooks', 'create', 'http://127.0.0.1:9/hook']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error USAGE: name at least one --event/);
  });

  it('create prints the secret once; list, update, test, deliveries, replay, delete', async () => {
    const human = await owner.run(['webhooks', 'create', 'http://127.0.0.1:9/a', '-e', 'user.created,user.deleted', '--allow-private-network']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Created webhook .* → http:\/\/127\.0\.0\.1:9\/a/);
    expect(human.stdout).toMatch(/Signing secret: whsec_\S+/);
    expect(human.stdout).toMatch(/shown only once/);
    const w = okJson(await owner.run(['webhooks', 'create', 'http://127.0.0.1:9/b', '-e', 'user.created', '--allow-private-network', '--json']));
    expect(w).toMatchObject({ id: expect.any(String), url: 'http://127.0.0.1:9/b', events: ['user.created'], enabled: true, secret: expect.stringMatching(/^whsec_/) });

    const list = await owner.run(['webhooks', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/http:\/\/127\.0\.0\.1:9\/b/);
    expect(list.stdout).toMatch(/2 endpoints/);
    expect(list.stdout).not.toContain(w.secret);
    expect(okJson(await owner.run(['webhooks', 'list', '--json'])).items.every((e: object) => !('secret' in e))).toBe(true);

    const off = await owner.run(['webhooks', 'update', w.id, '--disable']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/disabled/);
    expect((await owner.run(['webhooks', 'update', w.id])).code).toBe(2);
    expect(okJson(await owner.run(['webhooks', 'update', w.id, '--enable', '--json']))).toMatchObject({ enabled: true });

    const t = okJson(await owner.run(['webhooks', 'test', w.id, '--json']));
    expect(t).toMatchObject({ event: 'webhook.test', status: 'pending', endpointId: w.id });
    const log = await owner.run(['webhooks', 'deliveries', w.id]);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/webhook\.test +pending/);
    const again = okJson(await owner.run(['webhooks', 'replay', t.id, '--json']));
    expect(again).toMatchObject({ event: 'webhook.test', replayOf: t.id });
    expect(okJson(await owner.run(['webhooks', 'deliveries', w.id, '--json'])).total).toBe(2);

    const del = await owner.run(['webhooks', 'delete', w.id, '--yes']);
    expect(del.code, del.stderr).toBe(0);
    const gone = await owner.run(['webhooks', 'deliveries', w.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error WEBHOOK_NOT_FOUND: .*\n(.*\n)*hint: .*roster webhooks list/);
  });
});
