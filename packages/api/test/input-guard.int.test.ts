/**
 * Strings PostgreSQL cannot take (NUL anywhere, lone surrogates in jsonb)
 * used to reach the driver and come back as INTERNAL_SERVER_ERROR (found by
 * fuzz-router.int.test.ts): they are refused as VALIDATION and nothing is written.
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstorable } from '@roster/api/input-guard';
import { createTestApi, OWNER, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';

let api: TestApi;
let owner: TestJar;

beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api?.close());

async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => expect.fail('the call went through'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError;
  return { code: e.code, appCode: (e.cause as { code?: string } | undefined)?.code, message: e.message };
}

const row = async () =>
  (await api.services.orm.em.fork().execute<{ name: string; info: unknown; settings: unknown }[]>(`select name, info, settings from users where email = ?`, [OWNER.email]))[0];

describe('unstorable input', () => {
  it('refuses NUL in a text field instead of failing in the driver', async () => {
    const before = await row();
    expect(await refusal(api.as(owner).me.update({ name: 'Olga\u0000' }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    expect(await refusal(api.as(owner).me.status.update({ message: 'out\u0000' }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    expect(await refusal(api.as(owner).users.search({ query: 'ol\u0000' }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    expect(await refusal(api.as().auth.signIn({ email: `${OWNER.email}\u0000`, password: OWNER.password }))).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'VALIDATION',
    });
    expect(await row()).toEqual(before);
  });

  it('refuses NUL and lone surrogates in JSON documents, keys included', async () => {
    const before = await row();
    const docs: Record<string, string | number | string[]>[] = [{ k: 'a\u0000' }, { 'k\u0000': 1 }, { k: 'a\ud800' }, { k: ['\udc00'] }];
    for (const doc of docs) {
      const r = await refusal(api.as(owner).me.info.update(doc));
      expect(r).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
      expect(r.message).toContain('NUL character or an unpaired surrogate');
      expect(await refusal(api.as(owner).me.settings.update(doc))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    }
    expect(await row()).toEqual(before);
  });

  it('still takes emoji (surrogate pairs) and other unicode', async () => {
    await api.as(owner).me.update({ name: 'Olga 😀 Ωmega' });
    await api.as(owner).me.info.update({ mood: '🦄 \u202e ok' });
    expect(await row()).toMatchObject({ name: 'Olga 😀 Ωmega', info: { mood: '🦄 \u202e ok' } });
  });

  it('walks deep input without recursion and names where the problem is', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(unstorable(deep)?.message).toBe('Nested deeper than 64 levels');
    expect(unstorable({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({ path: 'a.1.c', message: 'Contains a NUL character or an unpaired surrogate' });
    expect(unstorable({ a: '\ud83d\ude00', b: new Date(), c: null, d: 1 })).toBeNull();
  });
});
