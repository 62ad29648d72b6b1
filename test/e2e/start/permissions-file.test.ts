import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { repoRoot } from '@roster/config';
import '../../support/provided.ts';

/** `npm start` with a bad ROSTER_PERMISSIONS_FILE stops before starting anything, with the reason on stderr. */
describe('npm start and ROSTER_PERMISSIONS_FILE', () => {
  it('exits 1 naming the file and the problem, before any database or child starts', { timeout: 30_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(inject('tmpRoot'), 'perms-'));
    const bad = path.join(dir, 'permissions.json');
    fs.writeFileSync(bad, JSON.stringify({ files: { share: true } }));
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts/start.ts')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Unreachable on purpose: the file must be refused before either is used.
      env: { ...process.env, ROSTER_PERMISSIONS_FILE: bad, DATABASE_URL: 'postgres://127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1', ROSTER_DATA_DIR: dir },
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code, out).toBe(1);
    expect(out).toContain(`roster: ROSTER_PERMISSIONS_FILE (${bad}) is not valid: files: this namespace belongs to Roster`);
    expect(out).not.toContain('started (pid');
  });
});
