/** `roster users list` past EXACT_TOTAL_LIMIT matches: the server's total is an estimate, said as "about N", and paging still works. */
import { EXACT_TOTAL_LIMIT } from '@roster/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, okJson, OWNER } from '../../support/cli.ts';
import { insertManyUsers } from '../../support/database.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

vi.setConfig({ testTimeout: 120_000 });

/** Bulk User 0001… created a minute apart, then the owner: one page of 25 past the bulk. */
const BULK = EXACT_TOTAL_LIMIT + 200;
const AFTER = BULK / 25 + 1;

let app: RunningApp;
let owner: CliSandbox;

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  await insertManyUsers(app.databaseUrl, BULK, { prefix: 'Bulk User' });
  owner = new CliSandbox();
  const r = await owner.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await app?.stop();
  owner?.remove();
});

describe('roster users list with an estimated total', () => {
  it('--json carries totalEstimated beside the estimate', async () => {
    const out = okJson(await owner.run(['users', 'list', '--json']));
    expect(Object.keys(out).sort()).toEqual(['items', 'total', 'totalEstimated']);
    expect(out.totalEstimated).toBe(true);
    expect(out.total).toBeGreaterThan(EXACT_TOTAL_LIMIT);
    expect(out.items).toHaveLength(25);
    // A search with few matches is still counted exactly, without the flag.
    expect(okJson(await owner.run(['users', 'list', '-q', 'bulk user 011', '--json']))).toMatchObject({ total: 10 });
    expect(okJson(await owner.run(['users', 'list', '-q', 'bulk user 011', '--json']))).not.toHaveProperty('totalEstimated');
  });

  it('says "about N users" and offers the next page while pages come back full', async () => {
    const first = await owner.run(['users', 'list']);
    expect(first.code, first.stderr).toBe(0);
    const footer = first.stdout.trimEnd().split('\n').at(-1)!;
    expect(footer).toMatch(/^Showing 1–25 of about \d{1,3}(,\d00)* users \(page 1 of about \d+; next: --page 2\)$/);
    expect(first.stdout).toContain('Bulk User 0001');

    const deep = await owner.run(['users', 'list', '--page', '48']);
    expect(deep.stdout).toContain('Bulk User 1200');
    expect(deep.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Showing 1176–1200 of about [\d,]+ users \(page 48( of about \d+)?; next: --page 49\)$/);
    // The owner, created last, is alone on the page after the bulk users: no next page.
    const last = await owner.run(['users', 'list', '--page', String(AFTER)]);
    expect(last.stdout).toContain(OWNER.email);
    expect(last.stdout.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`^Showing ${BULK + 1}–${BULK + 1} of about [\\d,]+ users \\(page ${AFTER}( of about \\d+)?\\)$`),
    );

    const past = await owner.run(['users', 'list', '--page', '400']);
    expect(past.stdout).toMatch(/^Page 400 is past the end: about [\d,]+ users in total\.\n$/);
  });

  it('keeps exact totals exact', async () => {
    const r = await owner.run(['users', 'list', '-q', 'bulk user 011']);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('10 users');
  });
});
