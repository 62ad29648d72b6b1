import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { defineCommand } from '../cli/command.ts';
import { CliError, UsageError } from '../cli/errors.ts';
import { done, plural } from '../cli/output.ts';
import { progress } from '../cli/progress.ts';
import { allGroups, resolveGroupId } from '../group-ref.ts';
import { userFilterFlags } from './user-filter-flags.ts';

/** `roster users export`: the CSV of `GET /api/users/export`, streamed to a file or stdout. */
export const exportUsers = defineCommand({
  name: 'export',
  summary: 'Export users as CSV (streamed), with the same filters as `users list`',
  description:
    'Columns: id, name, email, role, status, created_at, last_active_at, quota_bytes, usage_bytes, groups (;-separated).\n' +
    "Cells starting with = + - @ (or a tab or CR) get a leading ' so spreadsheets do not run them.\n" +
    'Writes to stdout unless --out names a file (saved under FILE.part first, renamed when complete).\n' +
    'Needs the user:list permission (admins and the owner).',
  flags: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'Save to this file instead of stdout' },
    force: { type: 'boolean', short: 'f', description: 'Overwrite an existing --out file' },
    ...userFilterFlags,
    sort: { type: 'string', value: 'FIELD', choices: ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'], description: 'Sort by this field, default createdAt' },
    desc: { type: 'boolean', description: 'Sort in descending order' },
  },
  examples: [
    'roster users export --out users.csv',
    'roster users export --status suspended > suspended.csv',
    'roster users export --group Uploaders --role admin --out admins.csv',
  ],
  async run(ctx, { flags }) {
    if (!flags.out && ctx.json) throw new UsageError('without --out the CSV goes to stdout, where --json would go too', 'add --out FILE');
    if (flags.out && !flags.force && fs.existsSync(flags.out)) throw new CliError('FILE_EXISTS', `${flags.out} already exists`, 'pass --force to overwrite it');
    const params = new URLSearchParams();
    if (flags.query) params.set('q', flags.query);
    for (const r of flags.role) params.append('role', r);
    for (const s of flags.status) params.append('status', s);
    for (const g of flags.group) params.append('group', await resolveGroupId(g, allGroups(ctx)));
    if (flags.sort) params.set('sort', flags.sort);
    if (flags.desc) params.set('dir', 'desc');
    const { endpoint, failure, transport } = await import('../files-http.ts');
    const { url, headers } = endpoint(ctx, `/api/users/export${params.size ? `?${params}` : ''}`);
    let res: Response;
    try {
      res = await fetch(url, { headers });
    } catch (err) {
      throw transport(err, ctx);
    }
    if (!res.ok || !res.body) throw await failure(res, ctx);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'users.csv';
    let lines = -1; // the header line is not a user
    let bytes = 0;
    const bar = progress(flags.out ?? name, null);
    const count = new Transform({
      transform(chunk: Buffer, _e, cb) {
        for (const b of chunk) if (b === 10) lines++;
        bytes += chunk.length;
        bar.advance(chunk.length);
        cb(null, chunk);
      },
    });
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    const part = flags.out ? `${flags.out}.part-${process.pid}` : null;
    try {
      await pipeline(body, count, part ? fs.createWriteStream(part, { flags: 'wx' }) : process.stdout, { end: !!part });
      if (part) fs.renameSync(part, flags.out!);
    } catch (err) {
      if (part) fs.rmSync(part, { force: true });
      throw transport(err, ctx);
    } finally {
      bar.end();
    }
    // Quoted fields may hold line breaks: the count is of rows only when none do, so it is given as lines.
    return { path: flags.out ?? null, name, lines: Math.max(0, lines), bytes };
  },
  human: (r, ctx) => (r.path ? done(ctx.style, `Saved ${r.path}: ${plural(r.lines, 'line')} after the header`) : ''),
});
