/**
 * `npm test`: typechecks the workspace (one tsc over every package — much
 * cheaper than one per package, which re-checks the shared sources each
 * time — plus svelte-check for the web app), builds the web app, lints
 * (`pnpm lint`, about 12 s), then runs every suite (unit, integration, CLI,
 * browser) in one vitest run, and ends with the one line CI reads:
 * `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../packages/config/src/index.ts';
import { summarize, summaryLine, type Summary } from './test-summary.ts';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: process.env }).status ?? 1;

const checks = [
  ['exec', 'tsc', '-p', 'tsconfig.json'],
  ['--filter', '@roster/web', 'run', 'typecheck'],
  ['--filter', '@roster/web', 'run', 'build'],
].reduce((status, args) => status || run('pnpm', args), 0);
if (checks !== 0) console.error('\nnpm test: typecheck or build failed (see above)');
// Apart from the checks above: a lint finding fails the run but does not keep the suites from running.
const lint = run('pnpm', ['lint']);
if (lint !== 0) console.error('\nnpm test: lint failed (see above)');

const report = path.join(repoRoot, 'test-results', 'vitest.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const vitest = run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);

let summary: Summary = { passed: 0, failed: 1, skipped: 0 };
if (fs.existsSync(report)) summary = summarize(JSON.parse(fs.readFileSync(report, 'utf8')));
if (checks !== 0) summary.failed += 1;
if (lint !== 0) summary.failed += 1;
console.log(summaryLine(summary));
process.exit(checks !== 0 || lint !== 0 || vitest !== 0 || summary.failed > 0 ? 1 : 0);
