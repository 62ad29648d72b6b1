/**
 * Key scope enforcement for every procedure, generated from the router: each
 * procedure's meta says which key scope it needs (api-key-gate.ts). A key of
 * the owner (who holds every scope) without that scope is refused with 403
 * API_KEY_FORBIDDEN; a key holding just that scope passes the gate (whatever
 * the procedure then answers for the empty input). Procedures no key may call
 * refuse even a key with every scope.
 */
import { TRPCError } from '@trpc/server';
import { KEY_SCOPES, type KeyScope } from '@roster/core';
import { appRouter, keyScopeFor, type Meta } from '@roster/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';

type ProcedureDef = { _def: { meta?: Meta } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;
const paths = Object.keys(procedures).sort();

/** Scopes only core checks (hasScope with the key's scopes on the actor): other users' files. */
const CHECKED_IN_CORE = ['files:manage'];

let api: TestApi;
const only = {} as Record<KeyScope, string>;
const allBut = {} as Record<KeyScope, string>;
let every: string;

beforeAll(async () => {
  api = await createTestApi();
  const owner = await withOwner(api);
  const create = async (scopes: KeyScope[]) => (await api.as(owner).me.apiKeys.create({ name: scopes.join(' ').slice(0, 100), scopes })).secret;
  every = await create([...KEY_SCOPES]);
  for (const scope of KEY_SCOPES) {
    only[scope] = await create([scope]);
    allBut[scope] = await create(KEY_SCOPES.filter((s) => s !== scope));
  }
});
afterAll(() => api?.close());

/** 'gate' when the key gate refused the call; anything else got past it. */
async function gateOf(secret: string, path: string): Promise<string> {
  const caller = api.as(new TestJar(), { authorization: `Bearer ${secret}` });
  const fn = path.split('.').reduce<any>((node, key) => node[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    await fn(undefined);
    return 'passed';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const appCode = (err.cause as { code?: string } | undefined)?.code;
    if (err.code === 'UNAUTHORIZED') return `UNAUTHORIZED ${err.message}`;
    if (err.code === 'INTERNAL_SERVER_ERROR') return `INTERNAL ${err.message}`;
    return err.code === 'FORBIDDEN' && appCode === 'API_KEY_FORBIDDEN' ? 'gate' : `passed (${err.code}/${appCode})`;
  }
}

describe('API key scopes, per procedure', () => {
  it('covers every key scope: a procedure needs it, an input field needs it, or core checks it (tested in api-keys.int.test.ts)', () => {
    const used = new Set<string>(CHECKED_IN_CORE);
    for (const p of paths) {
      const meta = procedures[p]!._def.meta;
      used.add(String(keyScopeFor(meta, p)));
      for (const s of Object.values(meta?.fieldScopes ?? {})) used.add(s);
    }
    expect(KEY_SCOPES.filter((s) => !used.has(s))).toEqual([]);
  });

  it.each(paths)('%s', async (path) => {
    const needed = keyScopeFor(procedures[path]!._def.meta, path);
    if (needed === null) {
      expect(await gateOf(every, path), `${path}: no key may call it`).toBe('gate');
      return;
    }
    if (needed === 'any') {
      for (const scope of KEY_SCOPES) expect(await gateOf(only[scope], path)).toMatch(/^passed/);
      return;
    }
    expect(await gateOf(allBut[needed], path), `${path} without ${needed}`).toBe('gate');
    const withIt = await gateOf(only[needed], path);
    expect(withIt, `${path} with only ${needed}`).toMatch(/^passed/);
  });
});
