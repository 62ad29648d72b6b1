import fs from 'node:fs';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { CliError, toCliError, UsageError } from '../cli/errors.ts';
import { bar, bytes, done, plural, relativeTime, table, type Style } from '../cli/output.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';
import type { FileDto } from '../files-http.ts';
import { resolveUserId } from '../user-ref.ts';

const PAGE_SIZE = 25;
/** Loaded only by the commands that move bytes: node:http(s) and TLS cost every other command start-up time. */
const transfers = () => import('../files-http.ts');

const upload = defineCommand({
  name: 'upload',
  summary: 'Upload files, streamed from disk',
  description:
    'Each file is streamed (never read whole into memory), with a progress bar when stderr is a terminal.\n' +
    'A file that would take the owner over their quota is refused (QUOTA_EXCEEDED) and leaves nothing behind;\n' +
    'the other files are still uploaded, and the command exits 1.',
  args: [{ name: 'path', description: 'Files to upload', required: true, variadic: true }],
  flags: { as: { type: 'string', value: 'USER', description: "Upload into another user's files (id or email; admins)" } },
  examples: ['roster files upload photo.jpg notes.pdf', 'roster files upload ./export/*.csv --as uma@example.com', 'roster files upload big.iso --json | jq -r ".files[].id"'],
  async run(ctx, { flags, args }) {
    // Every path is checked before the first byte goes out: a typo should not leave half a batch uploaded.
    const files = args.map((p) => {
      let st: fs.Stats;
      try {
        st = fs.statSync(p);
      } catch (err) {
        throw new UsageError(`cannot read ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      if (!st.isFile()) throw new UsageError(`${p} is not a regular file`, 'upload the files inside a folder by naming them, e.g. folder/*');
      return { path: p, size: st.size };
    });
    const asUserId = flags.as ? await resolveUserId(ctx, flags.as) : undefined;
    const { uploadFile } = await transfers();
    const uploaded: FileDto[] = [];
    const failed: { path: string; error: CliError }[] = [];
    for (const f of files) {
      try {
        uploaded.push(await uploadFile(ctx, f.path, f.size, asUserId));
      } catch (err) {
        failed.push({ path: f.path, error: toCliError(err, ctx.scene) });
        // Without a server, a valid session or the permission to upload, no other file will fare better.
        if (['UNREACHABLE', 'UNAUTHENTICATED', 'NOT_CONFIGURED', 'FORBIDDEN', 'PERMISSION_DENIED'].includes(failed.at(-1)!.error.code)) break;
      }
    }
    if (failed.length) {
      for (const f of uploaded) ctx.note(`uploaded ${f.name} (${bytes(f.size)}) as ${f.id}`);
      const first = failed[0]!.error;
      const what = failed.map((f) => (failed.length === 1 ? `${f.path}: ${f.error.message}` : `${f.path} (${f.error.code})`)).join(', ');
      const skipped = files.length - uploaded.length - failed.length;
      const message = failed.length === 1 && files.length === 1 ? what : `${plural(failed.length, 'file')} not uploaded: ${what}${skipped ? `; ${skipped} not tried` : ''}`;
      throw new CliError(first.code, message, first.hint, { fieldErrors: first.fieldErrors });
    }
    return { files: uploaded };
  },
  human({ files }, ctx) {
    const s = ctx.style;
    const total = files.reduce((n, f) => n + f.size, 0);
    return `${fileTable(files, ctx.style)}\n${done(s, `Uploaded ${plural(files.length, 'file')}, ${bytes(total)}`)}`;
  },
});

function fileTable(files: readonly FileDto[], s: Style): string {
  const now = Date.now();
  return table(
    files,
    [
      { header: 'ID', cell: (f) => s.dim(f.id) },
      { header: 'SIZE', cell: (f) => bytes(f.size).padStart(9) },
      { header: 'UPLOADED', cell: (f) => relativeTime(f.createdAt, now) },
      { header: 'NAME', cell: (f) => f.name },
    ],
    s,
  );
}

const list = defineCommand({
  name: 'list',
  summary: 'List files, newest first, with usage against the quota',
  flags: {
    user: { type: 'string', short: 'u', value: 'USER', description: "Another user's files (id or email; admins)" },
    page: { type: 'string', value: 'N', int: { min: 1 }, description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: 'N', int: { min: 1, max: 100 }, description: `Files per page, at most 100 (default ${PAGE_SIZE})` },
  },
  examples: ['roster files list', 'roster files list --user uma@example.com', 'roster files list --json | jq -r ".items[].id"'],
  async run(ctx, { flags }) {
    const userId = flags.user ? await resolveUserId(ctx, flags.user) : undefined;
    const api = ctx.api().files;
    const page = await api.list.query({ userId, page: flags.page ?? 1, pageSize: flags['page-size'] ?? PAGE_SIZE });
    return { ...page, usage: await api.usage.query({ userId }) };
  },
  human({ items, total, usage }, ctx, { flags }) {
    const s = ctx.style;
    const used = `${plural(total, 'file')}, ${bytes(usage.usageBytes)} used`;
    const footer =
      usage.quotaBytes == null
        ? s.dim(`${used} (no quota)`)
        : `${s.dim(`${used} of ${bytes(usage.quotaBytes)}`)}  ${bar(usage.usageBytes / usage.quotaBytes, s, 20)}`;
    if (!items.length) return total ? `Page ${flags.page} is past the end.\n${footer}` : `No files yet: \`roster files upload PATH\`.\n${footer}`;
    const shown = items.length < total ? s.dim(`\nShowing ${items.length} of ${total}; more with --page`) : '';
    return `${fileTable(items, s)}\n${footer}${shown}`;
  },
});

const download = defineCommand({
  name: 'download',
  summary: 'Download a file, streamed to disk',
  description: 'Saved under its own name in the current folder unless -o says otherwise; `-o -` writes to stdout.\nThe size and SHA-1 are checked before the file takes its name; an existing file is kept unless --force.',
  args: [{ name: 'id', description: 'File id (from `roster files list`)', required: true }],
  flags: {
    output: { type: 'string', short: 'o', value: 'PATH', description: 'File or folder to save to, or - for stdout' },
    force: { type: 'boolean', short: 'f', description: 'Overwrite an existing file' },
  },
  examples: ['roster files download 7c9e…', 'roster files download 7c9e… -o ~/Downloads/', 'roster files download 7c9e… -o - | tar t'],
  async run(ctx, { flags, args }) {
    if (flags.output === '-' && ctx.json) throw new UsageError('-o - writes the file to stdout, where --json would go too', 'drop one of them');
    return (await transfers()).downloadFile(ctx, args[0]!, flags.output, flags.force);
  },
  human: (d, ctx) => (d.path ? done(ctx.style, `Saved ${d.path} (${bytes(d.size)})`) : ''),
});

const rm = defineCommand({
  name: 'rm',
  summary: 'Delete files; their bytes count against the quota no more',
  args: [{ name: 'id', description: 'File ids (from `roster files list`)', required: true, variadic: true }],
  flags: { yes: { type: 'boolean', short: 'y', description: 'Delete without asking' } },
  examples: ['roster files rm 7c9e… 0a1b…', 'roster files list --json | jq -r ".items[].id" | xargs roster files rm --yes'],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'deleting files');
    const api = ctx.api().files;
    if (ask) {
      const found = await Promise.all(args.map((id) => api.get.query({ id })));
      const size = found.reduce((n, f) => n + f.size, 0);
      const names = found.length <= 5 ? found.map((f) => f.name).join(', ') : `${found.slice(0, 4).map((f) => f.name).join(', ')} and ${found.length - 4} more`;
      await confirm(`Delete ${plural(found.length, 'file')} (${names}; ${bytes(size)})? This cannot be undone.`);
    }
    const deleted = [];
    for (const id of args) deleted.push(await api.delete.mutate({ id }));
    return { deleted };
  },
  human({ deleted }, ctx) {
    const freed = deleted.reduce((n, d) => n + d.freedBytes, 0);
    return done(ctx.style, `Deleted ${plural(deleted.length, 'file')}, freed ${bytes(freed)}`);
  },
});

export const files = defineGroup({
  name: 'files',
  summary: 'Upload, list, download and delete stored files',
  children: [list, upload, download, rm],
  examples: ['roster files upload photo.jpg', 'roster files list', 'roster files download 7c9e… -o photo.jpg', 'roster files rm 7c9e…'],
});

