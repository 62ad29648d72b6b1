#!/usr/bin/env node
// Entry point of `roster`. Plain JavaScript on purpose: it must run on the
// machine's older Node too, to find (or ask for) the Node 22 the CLI needs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN = [22, 17];
// NO_COLOR wins (no-color.org); dropping FORCE_COLOR also stops Node warning that it overrides NO_COLOR.
if (process.env.NO_COLOR && process.env.FORCE_COLOR) delete process.env.FORCE_COLOR;
const [major, minor] = process.versions.node.split('.').map(Number);
const recentEnough = major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);

function rerun(node, extraArgs) {
  const self = fileURLToPath(import.meta.url);
  const env = Object.assign({}, process.env, { ROSTER_REEXEC: '1' });
  const r = spawnSync(node, extraArgs.concat([self], process.argv.slice(2)), { stdio: 'inherit', env: env });
  if (r.error) {
    process.stderr.write('error NODE: could not run ' + node + ': ' + r.error.message + '\n');
    process.exit(1);
  }
  // Mirror a signal death (Ctrl+C) as the shell would report it.
  process.exit(r.status === null ? 128 + 2 : r.status);
}

if (!recentEnough) {
  // Where `npm start` / `npm test` (scripts/run.sh) install Node 22.
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const tools = process.env.ROSTER_TOOLS_DIR || join(cache, 'roster', 'tools');
  const node22 = join(tools, 'node22', 'node_modules', '.bin', 'node');
  if (!process.env.ROSTER_REEXEC && existsSync(node22)) rerun(node22, []);
  process.stderr.write(
    'error NODE: roster needs Node.js >= ' + MIN.join('.') + ' (this is ' + process.version + ').\n' +
      'hint: run `npm start` or `npm test` once in the Roster folder (it installs Node 22 into ' + tools + '),\n' +
      '      or install Node.js 22 yourself.\n',
  );
  process.exit(1);
} else if (!process.features.typescript && !process.env.ROSTER_REEXEC) {
  // 22.17 strips types only behind a flag (on by default from 22.18).
  rerun(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning']);
} else {
  await import('../src/main.ts');
}
