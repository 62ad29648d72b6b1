/** The peers harness's scenarios: every search order × direction, list, session check, create, update role, delete. */
import { performance } from 'node:perf_hooks';
import type { Req } from './drive.ts';
import { BA_SORT, ORDERS, type Term } from './terms.ts';

type Sys = { base: string; headers: Record<string, string>; next: () => Req } | null;
export interface Scenario {
  name: string;
  roster: () => Sys;
  betterAuth: () => Sys;
  floor?: () => Sys;
  probe?: () => Promise<{ term: string; ms: number }>;
}
export interface Targets {
  rosterBase: string;
  baBase: string;
  floorBase: string;
  rosterHeaders: Record<string, string>;
  baHeaders: Record<string, string>;
  /** Ordinary users whose role flips, and users to delete, in each system. */
  roleIds: { roster: string[]; ba: string[] };
  deleteIds: { roster: string[]; ba: string[] };
  runId: string;
  terms: Term[];
  probes: number;
}

export function buildScenarios(t: Targets): Scenario[] {
  const { rosterBase, baBase, floorBase, rosterHeaders, baHeaders, roleIds, deleteIds, runId } = t;
  const TERMS = t.terms;
  const PROBES = t.probes;
  const rosterList = (input: Record<string, unknown>) => `/api/trpc/admin.users.list?input=${encodeURIComponent(JSON.stringify(input))}`;
  const baList = (q: Record<string, string | number>) =>
    `/api/auth/admin/list-users?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`;
  const cycle = <T>(xs: T[]) => {
    let i = 0;
    return () => xs[i++ % xs.length]!;
  };

  const scenarios: Scenario[] = [];
  for (const orderBy of ORDERS) {
    for (const direction of ['asc', 'desc'] as const) {
      scenarios.push({
        name: `search ${orderBy} ${direction}`,
        roster: () => ({
          base: rosterBase,
          headers: rosterHeaders,
          next: ((n) => () => ({ method: 'GET', path: rosterList({ query: n().term, orderBy, direction, page: 1, pageSize: 25 }) }))(cycle(TERMS)),
        }),
        betterAuth: () => ({
          base: baBase,
          headers: baHeaders,
          next: ((n) => () => {
            const t = n();
            return {
              method: 'GET',
              path: baList({ searchValue: t.term, searchField: t.field, searchOperator: 'contains', limit: 25, offset: 0, sortBy: BA_SORT[orderBy], sortDirection: direction }),
            };
          })(cycle(TERMS)),
        }),
        // Each term alone, PROBES times in a row: the slowest term's median.
        probe: async () => {
          let worst = { term: '', ms: 0 };
          for (const { term } of TERMS) {
            const times: number[] = [];
            for (let i = 0; i < PROBES; i++) {
              const s = performance.now();
              const r = await fetch(rosterBase + rosterList({ query: term, orderBy, direction, page: 1, pageSize: 25 }), { headers: rosterHeaders });
              await r.arrayBuffer();
              if (!r.ok) throw new Error(`Roster search ${term}: ${r.status}`);
              times.push(performance.now() - s);
            }
            const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
            if (ms > worst.ms) worst = { term, ms };
          }
          return worst;
        },
      });
    }
  }
  scenarios.push({
    name: 'list, no search, newest first',
    roster: () => ({ base: rosterBase, headers: rosterHeaders, next: () => ({ method: 'GET', path: rosterList({ orderBy: 'createdAt', direction: 'desc', page: 1, pageSize: 25 }) }) }),
    betterAuth: () => ({ base: baBase, headers: baHeaders, next: () => ({ method: 'GET', path: baList({ limit: 25, offset: 0, sortBy: 'createdAt', sortDirection: 'desc' }) }) }),
  });
  scenarios.push({
    name: 'session check',
    roster: () => ({ base: rosterBase, headers: rosterHeaders, next: () => ({ method: 'GET', path: '/api/trpc/auth.me' }) }),
    betterAuth: () => ({ base: baBase, headers: baHeaders, next: () => ({ method: 'GET', path: '/api/auth/get-session' }) }),
    floor: () => ({ base: floorBase, headers: baHeaders, next: () => ({ method: 'GET', path: '/' }) }),
  });
  let createdN = 0;
  scenarios.push({
    name: 'create user (with password)',
    roster: () => ({
      base: rosterBase,
      headers: rosterHeaders,
      next: () => {
        const n = createdN++;
        const body = { email: `c${runId}.${n}@bench.test`, name: `Created ${n}`, password: 'correct horse battery', role: 'user', mustChangePassword: false };
        return { method: 'POST', path: '/api/trpc/admin.users.create', body: JSON.stringify(body) };
      },
    }),
    betterAuth: () => ({
      base: baBase,
      headers: baHeaders,
      next: () => {
        const n = createdN++;
        const body = { email: `c${runId}.${n}@bench.test`, name: `Created ${n}`, password: 'correct horse battery', role: 'user' };
        return { method: 'POST', path: '/api/auth/admin/create-user', body: JSON.stringify(body) };
      },
    }),
  });
  let roleTurn = 0;
  const nextRole = (ids: string[]) => {
    const k = roleTurn++;
    return { id: ids[k % ids.length]!, role: Math.floor(k / ids.length) % 2 === 0 ? 'admin' : 'user' };
  };
  scenarios.push({
    name: 'update role',
    roster: () => ({
      base: rosterBase,
      headers: rosterHeaders,
      next: () => ({ method: 'POST', path: '/api/trpc/admin.users.update', body: JSON.stringify(nextRole(roleIds.roster)) }),
    }),
    betterAuth: () => ({
      base: baBase,
      headers: baHeaders,
      next: () => {
        const { id, role } = nextRole(roleIds.ba);
        return { method: 'POST', path: '/api/auth/admin/set-role', body: JSON.stringify({ userId: id, role }) };
      },
    }),
  });
  scenarios.push({
    name: 'delete user',
    roster: () => ({
      base: rosterBase,
      headers: rosterHeaders,
      next: () => ({ method: 'POST', path: '/api/trpc/admin.users.delete', body: JSON.stringify({ id: deleteIds.roster.pop() }) }),
    }),
    betterAuth: () => ({
      base: baBase,
      headers: baHeaders,
      next: () => ({ method: 'POST', path: '/api/auth/admin/remove-user', body: JSON.stringify({ userId: deleteIds.ba.pop() }) }),
    }),
  });

  return scenarios;
}
