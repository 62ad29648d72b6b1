/** What the peers harness searches for: the sort orders and the term mix (users named as data.ts makes them). */
import { FIRST, LAST } from './data.ts';

export interface Term {
  term: string;
  kind: string;
  field: 'name' | 'email';
}

export const ORDERS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;
/** better-auth has no last-seen or usage column: those orders use its updatedAt (last-seen time in data.ts). */
export const BA_SORT: Record<(typeof ORDERS)[number], string> = {
  name: 'name',
  email: 'email',
  role: 'role',
  createdAt: 'createdAt',
  lastActiveAt: 'updatedAt',
  usage: 'updatedAt',
};

/** Row i of data.ts, to name users that exist whatever BENCH_USERS is. */
const person = (i: number) => {
  const first = FIRST[i % 100]!;
  const last = LAST[Math.floor(i / 100) % 100]!;
  const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o');
  return { name: `${first} ${last}`, email: `${local}.${i}@example.com` };
};
/** The term mix for a run over `users` users: broad (a first name, a last name, the domain, an e-mail prefix, a non-ASCII name), narrow, 1–2 characters, misses. */
export function termsFor(users: number): Term[] {
  const someone = person(Math.floor(users * 0.6180339) + 7);
  return [
  { term: 'Olivia', kind: 'broad', field: 'name' },
  { term: 'élodie', kind: 'broad', field: 'name' },
  { term: 'Smith', kind: 'broad', field: 'name' },
  { term: 'example.com', kind: 'broad', field: 'email' },
  { term: 'olivia.', kind: 'broad', field: 'email' },
  { term: someone.name, kind: 'narrow', field: 'name' },
  { term: someone.email, kind: 'narrow', field: 'email' },
  { term: someone.email.split('@')[0]!.slice(-9), kind: 'narrow', field: 'email' },
  { term: 'e', kind: '1–2 chars', field: 'name' },
  { term: 'li', kind: '1–2 chars', field: 'name' },
  { term: 'zo', kind: '1–2 chars', field: 'name' },
  { term: 'zzqx', kind: 'miss', field: 'name' },
  { term: 'nobody-here', kind: 'miss', field: 'email' },
  { term: '@@@', kind: 'miss', field: 'email' },
];
}

