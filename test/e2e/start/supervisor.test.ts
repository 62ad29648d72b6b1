import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@roster/config';
import { deleteUser } from '@roster/core';
import { freePort } from '@roster/db/embedded-postgres';
import { supervise } from '../../../scripts/supervise.ts';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { waitUntil } from '../../support/worker.ts';

/**
 * `npm start` keeps Roster up: a web or worker child that dies is started
 * again (first within 2 s, backoff up to 30 s), nothing queued is lost, and
 * only a child that crashes over and over stops the instance. The real
 * scripts/start.ts on this file's database and redis-server, and the
 * supervisor module on its own with children that crash at once.
 */
let fx: DeletionFixture | undefined;
let start: ChildProcess | undefined;
afterAll(async () => {
  if (start?.pid && start.exitCode === null) {
    try {
      process.kill(-start.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  await fx?.close();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pgid = (pid: number) => Number(spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());

describe('npm start (scripts/start.ts)', () => {
  it('restarts a SIGKILLed worker and web within 2 s, loses nothing, and stops them all with its process group', { timeout: 150_000 }, async () => {
    fx = await deletionFixture();
    const port = await freePort();
    // Its own process group (detached), as a terminal gives `npm start` one.
    start = spawn(process.execPath, [path.join(repoRoot, 'scripts/start.ts')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: fx.api.databaseUrl, REDIS_URL: fx.redisUrl, ROSTER_DATA_DIR: fx.dataDir, PORT: String(port), HOST: '127.0.0.1' },
    });
    let out = '';
    start.stdout!.on('data', (d) => (out += d));
    start.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => start!.once('exit', (code) => r(code)));
    await waitUntil(() => out.includes('Roster is running') || start!.exitCode !== null, 90_000, 'npm start to serve');
    expect(start.exitCode, out).toBeNull();
    const pids = (name: string) => [...out.matchAll(new RegExp(`roster: ${name} started \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
    await waitUntil(() => out.includes('[worker] ready'), 30_000, 'the worker');
    const [worker1] = pids('worker');
    const [web1] = pids('web');
    // Children stay in npm start's process group.
    expect(pgid(worker1!)).toBe(start.pid);
    expect(pgid(web1!)).toBe(start.pid);
    // The web runs with its heap limit (ROSTER_WEB_HEAP_MIB, default 256), which bounds its memory under load.
    expect(fs.readFileSync(`/proc/${web1}/cmdline`, 'utf8').split('\0')).toContain('--max-old-space-size=256');
    expect(fs.readFileSync(`/proc/${web1}/cmdline`, 'utf8').split('\0')).toContain('--experimental-async-context-frame');

    // A purge scheduled while the worker is up, due a few seconds after it is killed.
    const u = await fx.makeUser();
    const { user } = await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 6_000 });
    const killedWorkerAt = Date.now();
    process.kill(worker1!, 'SIGKILL');
    await waitUntil(() => pids('worker').length === 2, 5_000, 'the worker restarted', 50);
    expect(Date.now() - killedWorkerAt).toBeLessThan(2_500);
    expect(out).toContain('roster: worker exited (signal SIGKILL); restarting in 1 s');
    await waitUntil(async () => (await fx!.footprint(u.id)).users === 0, 30_000, 'the purge scheduled before the kill', 200);
    const [{ at }] = await fx.sql<{ at: Date }[]>(`select at from audit_log where action = 'user.purge' and target_id = ?`, [u.id]);
    expect(new Date(at).getTime()).toBeGreaterThanOrEqual(new Date(user.purgeAt!).getTime() - 250);
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);

    const status = () => fetch(`http://127.0.0.1:${port}/api/trpc/setup.status`).then((r) => r.status, () => 0);
    expect(await status()).toBe(200);
    const killedWebAt = Date.now();
    process.kill(web1!, 'SIGKILL');
    await waitUntil(() => pids('web').length === 2, 5_000, 'the web restarted', 50);
    expect(Date.now() - killedWebAt).toBeLessThan(2_500);
    expect(out).toContain('roster: web exited (signal SIGKILL); restarting in 1 s');
    await waitUntil(async () => (await status()) === 200, 30_000, 'the web to answer again', 100);
    // The owner made before the kill can still sign in over HTTP: the data is all there.
    const signIn = await fetch(`http://127.0.0.1:${port}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: fx.ownerPassword }),
    });
    expect(signIn.status).toBe(200);

    // An operator stopping the process group stops everything, and nothing is restarted.
    const [worker2] = pids('worker').slice(-1);
    const [web2] = pids('web').slice(-1);
    process.kill(-start.pid!, 'SIGTERM');
    expect(await exited, out).toBe(0);
    // Both stopped on SIGTERM by themselves, none needed the supervisor's SIGKILL.
    expect(out).not.toContain('killing it');
    await waitUntil(() => !alive(worker2!) && !alive(web2!), 15_000, 'the children to exit');
    expect(pids('worker')).toHaveLength(2);
    expect(pids('web')).toHaveLength(2);
  });
});

describe('supervisor', () => {
  it('backs off exponentially up to its cap, and gives up after 5 crashes within a minute', { timeout: 30_000 }, async () => {
    const said: string[] = [];
    const sup = supervise({ say: (m) => said.push(m), firstDelayMs: 100, maxDelayMs: 300, crashLimit: 5 });
    const t0 = Date.now();
    sup.start({ name: 'crasher', command: process.execPath, args: ['-e', 'process.exit(3)'], stdio: 'ignore' });
    const reason = await sup.gaveUp;
    expect(reason).toBe('crasher crashed 5 times within 60 s');
    const restarts = said.filter((m) => m.includes('restarting in'));
    expect(restarts).toEqual([
      'crasher exited (code 3); restarting in 0.1 s',
      'crasher exited (code 3); restarting in 0.2 s',
      'crasher exited (code 3); restarting in 0.3 s',
      'crasher exited (code 3); restarting in 0.3 s',
    ]);
    expect(said.at(-1)).toBe('crasher exited (code 3): 5 crashes within 60 s; giving up');
    expect(sup.restarts('crasher')).toBe(4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    await sup.stop();
  });

  it('a child that ran long enough starts again from the first delay; stop() ends it and restarts nothing', { timeout: 30_000 }, async () => {
    const said: string[] = [];
    const sup = supervise({ say: (m) => said.push(m), firstDelayMs: 100, stableMs: 300, crashLimit: 5 });
    // Runs 400 ms (past stableMs), then crashes: every restart is after the first delay, and it never gives up.
    sup.start({ name: 'flaky', command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(1), 400)'], stdio: 'ignore' });
    await waitUntil(() => sup.restarts('flaky') >= 3, 10_000, 'three restarts');
    expect(said.filter((m) => m.includes('restarting in')).every((m) => m.endsWith('restarting in 0.1 s'))).toBe(true);
    const pid = sup.pid('flaky');
    await sup.stop();
    if (pid) expect(alive(pid)).toBe(false);
    const n = sup.restarts('flaky');
    await new Promise((r) => setTimeout(r, 600));
    expect(sup.restarts('flaky')).toBe(n);
  });
});
