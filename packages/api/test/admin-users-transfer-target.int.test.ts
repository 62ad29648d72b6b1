/**
 * admin.users.delete {transferToUserId}: only another active, approved user
 * may receive the files. Every other target is TRANSFER_TARGET_INVALID
 * (BAD_REQUEST) with its own message, as the router's error formatter puts
 * it on the wire (`error.data.appCode`), never a generic VALIDATION.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createContext } from '@roster/api';
import { transferTargetProblem } from '@roster/core';
import { deletionFixture, type DeletionFixture } from '@roster/test/support/deletion';
import type { TestJar } from '@roster/test/support/api';
import { rejection } from './admin-users.support.ts';

let fx: DeletionFixture;
beforeAll(async () => {
  fx = await deletionFixture();
});
afterAll(() => fx?.close());

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** The call over the fetch adapter, as the web app mounts it: what a client (the CLI, a service) receives. */
async function overHttp(jar: TestJar, path: string, input: unknown) {
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://roster.test/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }),
    router: appRouter,
    createContext: () => createContext(fx.api.services, { headers: new Headers(), ip: '127.0.0.1', secure: false, cookies: jar }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { message: string; data: { code: string; appCode?: string } } } };
}

describe('transfer target rules', () => {
  it('refuses pending, suspended, deleted, self and unknown targets with TRANSFER_TARGET_INVALID and a message that says why', async () => {
    const users = fx.api.as(fx.ownerJar).admin.users;
    const leaving = await fx.makeUser();
    const { user: pending } = await users.create({ email: 'pat-pending@example.com', name: 'Pat Pending', role: 'pending', password: 'a long enough password' });
    expect(pending).toMatchObject({ role: 'pending', status: 'active' });
    const suspended = await fx.makeUser();
    await users.suspend({ id: suspended.id, reason: 'test' });
    const deleted = await fx.makeUser();
    await users.delete({ id: deleted.id });

    const cases: [string, string, RegExp][] = [
      ['pending', pending.id, /awaiting approval/],
      ['suspended', suspended.id, /suspended/],
      ['deleted', deleted.id, /deleted/],
      ['self', leaving.id, /themselves/],
      ['unknown', UNKNOWN, /does not exist/],
    ];
    for (const [what, target, message] of cases) {
      const input = { id: leaving.id, transferToUserId: target };
      const r = await rejection(users.delete(input));
      expect({ what, code: r.code, appCode: r.appCode }).toEqual({ what, code: 'BAD_REQUEST', appCode: 'TRANSFER_TARGET_INVALID' });
      expect(r.message).toMatch(message);
      const http = await overHttp(fx.ownerJar, 'admin.users.delete', input);
      expect({ what, status: http.status, data: http.body.error?.data }).toMatchObject({
        what,
        status: 400,
        data: { code: 'BAD_REQUEST', appCode: 'TRANSFER_TARGET_INVALID' },
      });
      expect(http.body.error?.message).toBe(r.message);
    }
    // Nothing happened to the user being deleted.
    expect(await fx.footprint(leaving.id)).toMatchObject({ users: 1, sessions: 1 });
    expect((await users.get({ id: leaving.id })).status).toBe('active');

    // Once approved, the same account is a valid target.
    await users.update({ id: pending.id, role: 'user' });
    const { user } = await users.delete({ id: leaving.id, transferToUserId: pending.id });
    expect(user.status).toBe('deleted');
    expect((await users.deletionPreview({ id: leaving.id })).transferTo).toMatchObject({ id: pending.id });
  });

  it('accepts admins and the owner as targets', async () => {
    const users = fx.api.as(fx.ownerJar).admin.users;
    const admin = await fx.makeUser({ role: 'admin' });
    const a = await fx.makeUser();
    const b = await fx.makeUser();
    await users.delete({ id: a.id, transferToUserId: admin.id });
    await users.delete({ id: b.id, transferToUserId: fx.owner.id });
  });

  it('names the problem of each account state (the rule the purge re-checks)', () => {
    expect(transferTargetProblem({ status: 'active', role: 'user' })).toBeNull();
    expect(transferTargetProblem({ status: 'active', role: 'owner' })).toBeNull();
    expect(transferTargetProblem({ status: 'active', role: 'pending' })).toMatch(/awaiting approval/);
    expect(transferTargetProblem({ status: 'suspended', role: 'pending' })).toMatch(/suspended/);
    expect(transferTargetProblem({ status: 'deleted', role: 'admin' })).toMatch(/deleted/);
  });
});
