import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let admin: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  admin = (await makeUser(api, owner, { email: 'rule-admin@example.com', role: 'admin' })).jar;
});
afterAll(() => api?.close());

it('lets only the owner decide whether admins may grant the admin role', async () => {
  expect(await rejection(api.as(admin).admin.settings.update({ adminsCanCreateAdmins: true }))).toMatchObject({
    code: 'FORBIDDEN',
    appCode: 'FORBIDDEN',
  });
  expect((await api.as(admin).admin.settings.get()).adminsCanCreateAdmins).toBe(false);
  // A whole form sent back unchanged is fine: only a change is the owner's.
  expect((await api.as(admin).admin.settings.update({ signupEnabled: true, adminsCanCreateAdmins: false })).signupEnabled).toBe(true);
  expect((await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: true })).adminsCanCreateAdmins).toBe(true);
});
