import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@roster/config';
import { summarize, summaryLine, type VitestJsonReport } from '../../scripts/test-summary.ts';

/**
 * Runs the fixture suites (test/fixtures/test-summary, outside the normal
 * include) through vitest's JSON reporter, as `npm test` does, and counts
 * them with the same function.
 */
let report: VitestJsonReport & { testResults: { name: string }[] };
const file = (name: string) => ({ ...report, testResults: report.testResults.filter((f) => path.basename(f.name) === `${name}.fixture.ts`) });

describe('the closing line of npm test', () => {
  beforeAll(() => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roster-summary-')), 'report.json');
    const run = spawnSync('pnpm', ['exec', 'vitest', 'run', '--config', 'test/fixtures/test-summary/vitest.config.ts', '--reporter=json', `--outputFile.json=${out}`], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(report.testResults).toHaveLength(5);
  }, 60_000);

  it('counts the tests a failed beforeAll kept from running as failed, not skipped', () => {
    expect(summarize(file('before-all-fails'))).toEqual({ passed: 0, failed: 2, skipped: 0 });
    expect(summarize(file('describe-before-all-fails'))).toEqual({ passed: 0, failed: 3, skipped: 0 });
  });

  it('counts a file whose afterAll failed as one failure, after its passed tests', () => {
    expect(summarize(file('after-all-fails'))).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it('counts ordinary passes, failures, skips and todos as they are', () => {
    expect(summarize(file('passes'))).toEqual({ passed: 1, failed: 0, skipped: 2 });
    expect(summarize(file('fails'))).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it('totals every file into the one line CI reads', () => {
    expect(summaryLine(summarize(report))).toBe('2 passed, 7 failed, 2 skipped');
  });

  it('counts a file that did not load as a failure', () => {
    expect(summarize({ testResults: [{ status: 'failed', assertionResults: [] }] })).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });
});
