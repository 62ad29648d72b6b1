import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@roster/config';

/**
 * `npm test` and `npm start` from a clone the postgres OS user cannot walk
 * into (under /root, or in a fresh `mktemp -d`, mode 0700): as root,
 * embedded PostgreSQL used to fail at once with EACCES on initdb. The
 * working tree is copied (tracked and new files) into such a folder,
 * installed offline from the pnpm store, and started from there.
 */
const root = process.getuid?.() === 0;
let outer: string; // the 0700 folder, as `mktemp -d` makes it
let clone: string;

const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Starts the clone's embedded PostgreSQL on `dataDir`, creates a database, stops; returns what it printed. */
function startFromClone(dataDir: string) {
  const script = `
    import fs from 'node:fs';
    import { startEmbeddedPostgres } from './packages/db/src/embedded-postgres.ts';
    const db = await startEmbeddedPostgres(${JSON.stringify(dataDir)}, { quiet: true });
    const pid = Number(fs.readFileSync(${JSON.stringify(path.join(dataDir, 'postmaster.pid'))}, 'utf8').split('\\n')[0]);
    const exe = fs.readlinkSync('/proc/' + pid + '/exe');
    // createDatabase connects and runs queries: the server answers.
    await db.createDatabase('probe');
    await db.stop();
    console.log(JSON.stringify({ created: true, exe }));
  `;
  fs.writeFileSync(path.join(clone, 'packages/db/probe.ts'), script.replaceAll('./packages/db/src/', './src/'));
  return spawnSync(process.execPath, ['probe.ts'], { cwd: path.join(clone, 'packages/db'), encoding: 'utf8', timeout: 90_000 });
}

describe.skipIf(!root)('embedded PostgreSQL started as root from an unreachable clone', () => {
  beforeAll(() => {
    outer = fs.mkdtempSync(path.join(os.homedir(), 'roster-clone-'));
    expect(mode(outer)).toBe(0o700);
    clone = path.join(outer, 'roster');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      const from = path.join(repoRoot, f);
      if (!fs.existsSync(from)) continue; // deleted in the working tree
      fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
      fs.copyFileSync(from, path.join(clone, f));
    }
    execFileSync('pnpm', ['install', '--frozen-lockfile', '--offline', '--reporter=silent'], { cwd: clone, stdio: 'ignore', timeout: 60_000 });
  }, 90_000);

  afterAll(() => {
    if (outer) fs.rmSync(outer, { recursive: true, force: true });
  });

  it('starts with its data in the temp folder (npm test), opening nothing above the clone', () => {
    const homeMode = mode(os.homedir());
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-pg-'));
    fs.chmodSync(data, 0o755);
    try {
      const run = startFromClone(path.join(data, 'pg'));
      expect(run.status, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
      expect(out).toMatchObject({ created: true });
      // The server runs from binaries outside the clone, which it could not reach.
      expect(out.exe.startsWith(outer)).toBe(false);
      expect(path.basename(out.exe)).toBe('postgres');
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
    expect(mode(outer)).toBe(0o700);
    expect(mode(os.homedir())).toBe(homeMode);
  }, 120_000);

  it('starts with its data in a 0700 folder (npm start), granting that folder traverse only', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-data-'));
    try {
      expect(mode(data)).toBe(0o700);
      const run = startFromClone(path.join(data, 'postgres'));
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toMatchObject({ created: true });
      expect(mode(data)).toBe(0o701);
      expect(run.stderr).toContain(`let the postgres user traverse ${data}`);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
