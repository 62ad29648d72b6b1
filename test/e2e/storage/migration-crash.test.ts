import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { absolutePath, uploadFile, type Actor, type CoreDeps } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import { createTestApi, withOwner, type TestApi } from '../../support/api.ts';
import { waitUntil } from '../../support/worker.ts';

vi.setConfig({ testTimeout: 120_000 });
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrate-child.ts');
const FILES = 60;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const em = () => api.services.orm.em.fork() as EntityManager;
const deps = (): CoreDeps => ({ em: em(), clock: api.services.clock, sessions: api.services.sessions, jobs: api.services.jobs, dataDir: api.services.dataDir });

function runChild(env: Record<string, string>) {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, DATABASE_URL: api.databaseUrl, ROSTER_DATA_DIR: api.services.dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

/** Every regular file under upload/, relative to the data dir. */
function onDisk(): string[] {
  const root = path.join(api.services.dataDir, 'upload');
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(api.services.dataDir, path.join(e.parentPath, e.name)));
}

describe('storage migration killed with SIGKILL midway', () => {
  it('resumes to every file in exactly one place and every row pointing at its file', async () => {
    const owner = await withOwner(api);
    const { user } = await api.as(owner).admin.users.create({
      email: 'mover@example.com', name: 'Mover', password: 'correct horse battery', mustChangePassword: false,
    });
    const u = await em().findOneOrFail(User, user.id);
    const actor: Actor = { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: false };
    const sha = new Map<string, string>();
    for (let i = 0; i < FILES; i++) {
      const f = await uploadFile(deps(), actor, { name: `photo-${i}.jpg`, size: 6, body: (async function* () { yield Buffer.from(`img${String(i).padStart(3, '0')}`); })() });
      sha.set(f.id, f.sha1);
    }
    // The label as admin.users.update sets it (without enqueueing into the shared test Redis).
    await em().execute(`update users set storage_label = 'mover' where id = ?`, [user.id]);

    const first = runChild({ MODE: 'hook', USER_ID: user.id, HANG_AFTER: '20' });
    await waitUntil(() => (first.out().match(/^moved /gm)?.length ?? 0) >= 20, 60_000, `20 moves\n${first.out()}`);
    first.child.kill('SIGKILL');
    await first.exited;

    // The crash state: 19 done, one renamed whose row still says the old path, 40 untouched.
    const rows = () => em().execute<{ id: string; path: string; sha1: string }[]>(`select id, path, sha1 from files where owner_id = ?`, [user.id]);
    const mid = await rows();
    const exists = (p: string) => fs.existsSync(absolutePath(api.services.dataDir, p));
    expect(mid.filter((r) => r.path.startsWith('upload/mover/'))).toHaveLength(19);
    expect(mid.filter((r) => !exists(r.path))).toHaveLength(1);
    expect(onDisk()).toHaveLength(FILES);

    const second = runChild({ MODE: 'job', USER_ID: user.id });
    expect(await second.exited, second.out()).toBe(0);
    expect(second.out()).toContain('done {"moved":41,"missing":0}');

    const after = await rows();
    expect(after).toHaveLength(FILES);
    for (const r of after) {
      expect(r.path.startsWith('upload/mover/')).toBe(true);
      const bytes = fs.readFileSync(absolutePath(api.services.dataDir, r.path));
      expect(createHash('sha1').update(bytes).digest('hex')).toBe(sha.get(r.id));
    }
    const disk = onDisk().sort();
    expect(disk).toEqual(after.map((r) => r.path).sort());
    expect(fs.existsSync(path.join(api.services.dataDir, 'upload', user.id))).toBe(false);

    const third = runChild({ MODE: 'job', USER_ID: user.id });
    expect(await third.exited).toBe(0);
    expect(third.out()).toContain('done {"moved":0,"missing":0}');
  });
});
