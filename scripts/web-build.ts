import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../packages/config/src/index.ts';

/**
 * The newest file's time. Files only: a folder's own time moves whenever an
 * entry appears in it, build output included (`pnpm pack` makes
 * packages/client/build), which made the next start rebuild the web app,
 * and a test beside it find apps/web/build gone mid-rebuild.
 */
function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e === 'build' || e === '.svelte-kit') continue;
    max = Math.max(max, newestMtime(path.join(p, e)));
  }
  return max;
}

/** Builds apps/web when anything it bundles is newer than the last build. */
export function buildWebIfStale(say: (m: string) => void): void {
  const out = path.join(repoRoot, 'apps/web/build/index.js');
  const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(repoRoot, 'apps/web')), newestMtime(path.join(repoRoot, 'packages')));
  if (built > sources) return;
  say('building the web app…');
  const r = spawnSync('pnpm', ['--filter', '@roster/web', 'run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('the web app failed to build');
}
