import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { repoRoot } from '@roster/config';
import { freePort } from '@roster/db/embedded-postgres';
import { AppClient } from '../storage/http-client.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis, waitUntil } from '../../support/worker.ts';

/**
 * examples/service as a service outside this repository would be: a copy in
 * a temporary directory that installs @roster/client from the tarball `pnpm
 * pack` makes, type-checks against its bundled types, and runs against a
 * live Roster (web app and worker): it lists users, checks a permission and
 * receives a signed webhook.
 */
// Asynchronous, so that the app's HTTP connections stay served while tsc or npm runs.
const sh = (cmd: string, args: string[], cwd: string) =>
  new Promise<{ status: number | null; out: string }>((resolve) => {
    execFile(cmd, args, { cwd, encoding: 'utf8', env: process.env, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
const must = async (cmd: string, args: string[], cwd: string) => {
  const r = await sh(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.out}`);
  return r.out;
};

let dir: string;
let tarball: string;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let app: RunningApp;
let owner: AppClient;
let service: ChildProcess | undefined;
let lines: Record<string, any>[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(inject('tmpRoot'), 'example-service-'));
  const client = path.join(repoRoot, 'packages/client');
  await must('pnpm', ['run', 'build'], client);
  const packed = await must('pnpm', ['pack', '--pack-destination', dir], client);
  tarball = path.join(dir, path.basename(packed.trim().split('\n').at(-1)!));
  fs.cpSync(path.join(repoRoot, 'examples/service'), path.join(dir, 'service'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  const pkgFile = path.join(dir, 'service/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.dependencies['@roster/client'] = `file:${tarball}`;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  await must('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], path.join(dir, 'service'));

  redis = await startOwnRedis();
  app = await startApp({ worker: true, env: { REDIS_URL: redis.url, ROSTER_WEBHOOK_POLL_MS: '100' } });
  owner = await AppClient.owner(app.baseUrl);
}, 300_000);

afterAll(async () => {
  service?.kill('SIGTERM');
  await app?.stop();
  await redis?.stop();
});

describe('@roster/client from its tarball', () => {
  it('ships built JS and one d.ts, and depends on nothing private', async () => {
    const files = (await must('tar', ['-tzf', tarball], dir)).trim().split('\n').sort();
    expect(files).toEqual(['package/README.md', 'package/build/index.d.ts', 'package/build/index.js', 'package/build/webhooks.js', 'package/package.json']);
    const installed = path.join(dir, 'service/node_modules/@roster');
    expect(fs.readdirSync(installed)).toEqual(['client']);
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'client/package.json'), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './build/index.d.ts', default: './build/index.js' });
    expect(Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@roster/'))).toEqual([]);
    const dts = fs.readFileSync(path.join(installed, 'client/build/index.d.ts'), 'utf8');
    const imports = [...dts.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['@trpc/client', '@trpc/server']));
  });

  it('type-checks the example, and the types are real: a wrong input or a wrong role fails', { timeout: 180_000 }, async () => {
    const svc = path.join(dir, 'service');
    expect(await sh('npx', ['tsc', '-p', 'tsconfig.json'], svc)).toMatchObject({ status: 0, out: '' });
    fs.writeFileSync(
      path.join(svc, 'src/wrong.ts'),
      [
        "import { createRosterClient } from '@roster/client';",
        "const roster = createRosterClient({ url: 'http://x', apiKey: 'rst_x' });",
        "const page = await roster.admin.users.list.query({ page: 'one' });",
        "export const role: 'superuser' = page.items[0]!.role;",
        "await roster.admin.users.nope.query();",
        '',
      ].join('\n'),
    );
    const wrong = await sh('npx', ['tsc', '-p', 'tsconfig.json'], svc);
    fs.rmSync(path.join(svc, 'src/wrong.ts'));
    expect(wrong.status).not.toBe(0);
    expect(wrong.out).toMatch(/wrong\.ts\(3,.*'string' is not assignable to type 'number'/);
    expect(wrong.out).toMatch(/wrong\.ts\(4,.*not assignable to type '"superuser"'/);
    expect(wrong.out).toMatch(/wrong\.ts\(5,.*Property 'nope' does not exist/);
  });

  it('runs against a live Roster with a service account key: lists users, checks a permission, gets a signed webhook', { timeout: 120_000 }, async () => {
    const account = await owner.call('admin.serviceAccounts.create', { name: 'Example service' });
    const key = await owner.call('admin.apiKeys.create', { userId: account.id, name: 'example', scopes: ['user:list', 'user:read', 'permissions:check'] });
    const port = await freePort();
    const hook = await owner.call('admin.webhooks.create', { url: `http://127.0.0.1:${port}/hook`, events: ['user.created'], allowPrivateNetwork: true });

    const svc = path.join(dir, 'service');
    service = spawn(process.execPath, ['src/main.ts'], {
      cwd: svc,
      env: { ...process.env, ROSTER_URL: app.baseUrl, ROSTER_API_KEY: key.secret, ROSTER_WEBHOOK_SECRET: hook.secret, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    service.stdout!.on('data', (d) => {
      out += d;
      lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    });
    service.stderr!.on('data', (d) => (out += d));
    const seen = (event: string) => lines.find((l) => l.event === event);
    await waitUntil(() => !!seen('listening') || service!.exitCode !== null, 30_000, 'the example service to listen');
    expect(seen('listening'), out).toMatchObject({ port });

    expect(seen('users')).toMatchObject({ total: 2 });
    expect(seen('users')!.users).toEqual(
      expect.arrayContaining([{ email: 'owner@example.com', role: 'owner', status: 'active' }, expect.objectContaining({ role: 'service' })]),
    );
    expect(seen('permission')).toMatchObject({ key: 'files.upload', allowed: true });
    expect(seen('error')).toEqual({ event: 'error', code: 'NOT_FOUND', appCode: 'USER_NOT_FOUND' });

    // A change in Roster reaches the service, signed; a forged delivery does not get in.
    await owner.call('admin.users.create', { email: 'new.member@example.com', name: 'New Member', password: 'a long enough password', role: 'user' });
    await waitUntil(() => !!seen('webhook'), 30_000, 'the user.created webhook at the example service');
    expect(seen('webhook')).toMatchObject({ type: 'user.created', email: 'new.member@example.com', id: expect.any(String) });

    const forged = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') },
      body: JSON.stringify({ type: 'user.deleted', timestamp: new Date().toISOString(), data: {} }),
    });
    expect(forged.status).toBe(401);
    await waitUntil(() => !!seen('rejected'), 5_000, 'the rejection line');
    expect(lines.filter((l) => l.event === 'webhook')).toHaveLength(1);
  });
});
