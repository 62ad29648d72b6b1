import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, okJson, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let app: RunningApp;
let owner: CliSandbox;
let uma: { id: string };

async function sql<T>(q: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    return (await client.query(q, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  owner = new CliSandbox();
  const r = await owner.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
  expect(r.code, r.stderr).toBe(0);
  uma = okJson(await owner.run(['users', 'create', 'uma@example.com', '--name', 'Uma User', '--password-stdin', '--json'], { input: 'uma-password-1' })).user;
  const upd = await owner.run(['users', 'update', 'uma@example.com', '--name', 'Uma Renamed']);
  expect(upd.code, upd.stderr).toBe(0);
});
afterAll(async () => {
  await app?.stop();
  owner?.remove();
});

describe('roster audit', () => {
  it('lists events newest first as a table, and as JSON with ids', async () => {
    const human = await owner.run(['audit', 'list']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^WHEN +ACTION +ACTOR +TARGET +DETAILS\n/);
    expect(human.stdout).toMatch(/just now +user\.update +Olga Owner <olga@example\.com> +Uma Renamed <uma@example\.com> +before=|name: Uma User → Uma Renamed/);
    const json = okJson<{ items: { action: string; targetId: string; actorId: string }[]; total: number }>(await owner.run(['audit', 'list', '--json']));
    expect(json.items[0]).toMatchObject({ action: 'user.update', targetId: uma.id });
    expect(json.items.map((i) => i.action)).toEqual(expect.arrayContaining(['user.create', 'auth.signIn', 'setup.createOwner']));
  });

  it('filters by target (email), action prefix and time', async () => {
    const byTarget = okJson<{ items: { action: string }[] }>(await owner.run(['audit', 'list', '--target', 'uma@example.com', '--json']));
    expect(byTarget.items.map((i) => i.action)).toEqual(['user.update', 'user.create']);
    const byAction = okJson<{ items: { action: string }[] }>(await owner.run(['audit', 'list', '--action', 'auth.', '--json']));
    expect(byAction.items.every((i) => i.action.startsWith('auth.'))).toBe(true);
    expect(okJson<{ total: number }>(await owner.run(['audit', 'list', '--from', '2100-01-01', '--json'])).total).toBe(0);
    const bad = await owner.run(['audit', 'list', '--from', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from must be/);
  });

  it('exports JSON lines to stdout and CSV to a file', async () => {
    const lines = await owner.run(['audit', 'export']);
    expect(lines.code, lines.stderr).toBe(0);
    const events = lines.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.action)).toEqual(['user.update', 'user.create', 'auth.signIn', 'setup.createOwner']);
    expect(events[0]).toMatchObject({ action: expect.any(String), id: expect.any(Number) });
    const file = path.join(owner.home, 'audit.csv');
    const csv = await owner.run(['audit', 'export', '--out', file, '--json']);
    expect(okJson(csv)).toEqual({ exported: expect.any(Number), out: file, format: 'csv' });
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\r\n')[0]).toBe('id,at,action,actorId,actorEmail,targetId,targetName,targetEmail,ip,userAgent,details');
    expect(text).toContain(uma.id);
  });

  it('verifies: exit 0 when intact, 1 naming the edited event', async () => {
    const ok = await owner.run(['audit', 'verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Audit log intact: \d+ events verified/);
    const [e] = await sql<{ id: string }>(`select id::text as id from audit_log a where action = 'user.create' order by a.id limit 1`);
    await sql(`update audit_log set details = '{"role":"admin"}' where id = $1`, [e!.id]);
    const bad = await owner.run(['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`error AUDIT_TAMPERED: event ${e!.id} was edited`);
    const json = await owner.run(['audit', 'verify', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problem: { kind: 'edited', id: Number(e!.id) } });
  });
});
