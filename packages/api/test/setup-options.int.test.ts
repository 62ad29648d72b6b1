import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api?.close());

describe('setup.options', () => {
  it('tells anyone, signed in or not, whether sign-up is open and the password minimum, following the settings', async () => {
    expect(await api.as().setup.options()).toEqual({ signupEnabled: false, passwordMinLength: 10 });
    await api.as(owner).admin.settings.update({ signupEnabled: true, passwordMinLength: 14 });
    expect(await api.as().setup.options()).toEqual({ signupEnabled: true, passwordMinLength: 14 });
    expect(await api.as(owner).setup.options()).toEqual({ signupEnabled: true, passwordMinLength: 14 });
  });

  it('reveals no other setting', async () => {
    expect(Object.keys(await api.as().setup.options()).sort()).toEqual(['passwordMinLength', 'signupEnabled']);
  });
});
