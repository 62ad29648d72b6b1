/**
 * The closing `N passed, N failed, N skipped` line of `npm test`, counted
 * from vitest's JSON report. Kept apart from scripts/test.ts so a fixture run
 * can prove it (test/scripts/test-summary.test.ts).
 */

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

interface FileResult {
  status: string;
  assertionResults?: { status: string }[];
}

export interface VitestJsonReport {
  testResults?: FileResult[];
}

/**
 * Tests that ran count as they ended. A file that failed although none of its
 * tests did failed in a hook or while loading: vitest then reports the tests
 * a failed `beforeAll` kept from running as skipped, so those count as failed
 * (every skip in that file, since the report cannot tell them apart), and a
 * file with nothing left to blame (a failed `afterAll`, a file that did not
 * load) counts as one failure itself.
 */
export function summarize(report: VitestJsonReport): Summary {
  const total: Summary = { passed: 0, failed: 0, skipped: 0 };
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const count = (s: string) => tests.filter((t) => t.status === s).length;
    const passed = count('passed');
    const failed = count('failed');
    const skipped = count('skipped') + count('pending');
    const todo = count('todo');
    total.passed += passed;
    if (file.status === 'failed' && failed === 0) {
      total.failed += skipped > 0 ? skipped : 1;
      total.skipped += todo;
    } else {
      total.failed += failed;
      total.skipped += skipped + todo;
    }
  }
  return total;
}

export const summaryLine = (s: Summary) => `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
