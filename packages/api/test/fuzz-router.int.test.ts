/**
 * Every procedure of the router × malformed inputs generated from its zod
 * schema × every kind of caller, through createCaller with a real context:
 * never INTERNAL_SERVER_ERROR, never an unhandled rejection, and a refused
 * call leaves every table as it was. The HTTP side (malformed JSON, content
 * types, deep nesting) is in test/e2e/http/fuzz.test.ts.
 */
import { TRPCError } from '@trpc/server';
import { appRouter, type Meta } from '@roster/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { changedTables, tableChecksums } from '@roster/test/support/db-checksum';
import { casesFor, rng } from './fuzz-inputs.ts';

const CALLERS = ['anonymous', 'pending', 'user', 'admin', 'owner'] as const;
type Caller = (typeof CALLERS)[number];
type Account = Exclude<Caller, 'anonymous'>;
const PASSWORD = 'fuzz password 1';
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

type ProcedureDef = { _def: { type: string; inputs: unknown[]; meta?: Meta } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;

let api: TestApi;
const jars = {} as Record<Account, TestJar>;
const emails = {} as Record<Account, string>;
let checksum: () => Promise<Record<string, string>>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function signIn(who: Account): Promise<void> {
  jars[who] = new TestJar();
  await api.as(jars[who]).auth.signIn({ email: emails[who], password: PASSWORD });
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  api = await createTestApi();
  const owner = await withOwner(api);
  emails.owner = OWNER.email;
  await api.as(owner).me.changePassword({ current: OWNER.password, next: PASSWORD });
  for (const [who, role] of [['pending', 'pending'], ['user', 'user'], ['admin', 'admin']] as const) {
    emails[who] = `fuzz-${who}@example.com`;
    await api.as(owner).admin.users.create({ email: emails[who], name: `Fuzz ${who}`, role, password: PASSWORD, mustChangePassword: false });
  }
  for (const who of ['owner', 'pending', 'user', 'admin'] as const) await signIn(who);
  checksum = await tableChecksums((sql) => api.services.orm.em.fork().execute(sql));
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await api?.close();
});

/**
 * A caller the procedure's gates refuse never reaches its input: a few
 * hostile inputs prove the gate holds for them, the rest go to callers it lets in.
 */
function gated(meta: Meta | undefined, caller: Caller): boolean {
  if (!meta || meta.access === 'public') return false;
  if (caller === 'anonymous') return true;
  if (caller === 'pending') return !meta.allowPending;
  if (typeof meta.access === 'object') return caller === 'user';
  return false;
}
const GATED_CASES = new Set(['input = null', 'input = 1 MB string', 'input = object deep 10000', 'plausible']);

const internal: string[] = [];
const changed: string[] = [];
let calls = 0;
let refused = 0;
let before: Record<string, string> = {};
let xmax = '';
const random = rng(SEED);

/** The next transaction id moves only when someone writes: the full checksum is needed only then. */
async function unchangedSince(): Promise<boolean> {
  const [row] = await api.services.orm.em.fork().execute<{ x: string }[]>(`select pg_snapshot_xmax(pg_current_snapshot())::text as x`);
  const same = row!.x === xmax;
  xmax = row!.x;
  return same;
}

describe('router fuzz', () => {
  it.each(Object.keys(procedures).sort())('%s', async (path) => {
    const def = procedures[path]!._def;
    const cases = casesFor(def.inputs[0], random);
    if (!xmax) {
      await unchangedSince();
      before = await checksum();
    }
    for (const caller of CALLERS) {
      for (const c of gated(def.meta, caller) ? cases.filter((k) => GATED_CASES.has(k.name)) : cases) {
        const client = api.as(caller === 'anonymous' ? new TestJar() : jars[caller]);
        const fn = path.split('.').reduce<any>((node, key) => node[key], client) as (input: unknown) => Promise<unknown>;
        const where = `${path} as ${caller} with ${c.name} (seed ${SEED})`;
        let ok = false;
        calls++;
        try {
          await fn(c.input());
          ok = true;
        } catch (err) {
          refused++;
          if (!(err instanceof TRPCError)) internal.push(`${where}: threw ${String(err).slice(0, 300)}`);
          else if (err.code === 'INTERNAL_SERVER_ERROR') internal.push(`${where}: ${String(err.cause ?? err.message).slice(0, 300)}`);
        }
        if (!(await unchangedSince())) {
          const after = await checksum();
          if (!ok) {
            const diff = changedTables(before, after);
            if (diff.length) changed.push(`${where}: changed ${diff.join(', ')}`);
          }
          before = after;
        }
        // A call that went through may have signed its caller out (auth.signOut, a revoked session): sign back in.
        if (ok && caller !== 'anonymous' && !jars[caller].get('roster_session')) {
          await signIn(caller);
          await unchangedSince();
          before = await checksum();
        }
      }
    }
    expect(internal.filter((m) => m.startsWith(`${path} `)).join('\n'), 'INTERNAL_SERVER_ERROR').toBe('');
    expect(changed.filter((m) => m.startsWith(`${path} `)).join('\n'), 'refused calls that changed the database').toBe('');
  }, 60_000);

  it('left no unhandled rejection, and refused most of what it sent', async () => {
    await new Promise((r) => setTimeout(r, 200));
    expect(unhandled.map(String)).toEqual([]);
    expect(calls).toBeGreaterThan(Object.keys(procedures).length * 20);
    expect(refused / calls).toBeGreaterThan(0.8);
    console.log(`router fuzz: ${calls} calls, ${refused} refused`);
  });
});
