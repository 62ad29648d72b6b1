import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { listUsers, systemClock, type CoreDeps } from '@roster/core';
import { migrate, openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { createTestDatabase } from '@roster/test/support/database';

/**
 * Search folds case for every script whatever the database's locale
 * (migration 0015): once in a clone of the test template, once in a database
 * created with LC_CTYPE 'C', where lower() alone is not trusted to fold
 * anything but ASCII.
 */
const PEOPLE = [
  ['ÉLODIE Marchand', 'elodie@example.fr'],
  ['Øyvind Berg', 'oyvind@example.no'],
  ['Łukasz Nowak', 'lukasz@example.pl'],
  ['ΟΔΥΣΣΕΥΣ Παππάς', 'odysseus@example.gr'],
  ['Ǆemal Ǉubić', 'dzemal@example.ba'],
  ['E\u0301milie Dupont', 'emilie@example.fr'], // "É" written as E + combining acute (NFD)
  ['Plain Ascii', 'PLAIN@EXAMPLE.COM'],
] as const;

async function cTypeDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_ctype_c_${Date.now().toString(36)}`;
  const admin = await openOrm(adminUrl, { poolMax: 1 });
  try {
    await admin.em.fork().execute(`create database "${name}" template template0 encoding 'UTF8' locale_provider libc lc_collate 'C' lc_ctype 'C'`);
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.each([
  ['the test template', async () => createTestDatabase()],
  ["a database with LC_CTYPE 'C'", cTypeDatabase],
])('search folds case in %s', (_label, makeDb) => {
  let orm: MikroORM;
  const deps = () => ({ em: orm.em.fork() as EntityManager, clock: systemClock }) as unknown as CoreDeps;
  const search = async (query: string) => (await listUsers(deps(), { query, page: 1, pageSize: 50 })).items.map((u) => u.name).sort();

  beforeAll(async () => {
    orm = await openOrm(await makeDb(), { poolMax: 2 });
    await migrate(orm);
    const em = orm.em.fork() as EntityManager;
    for (const [name, email] of PEOPLE) {
      await em.execute(`insert into users (id, email, name, role, status) values (gen_random_uuid(), ?, ?, 'user', 'active')`, [email, name]);
    }
    await em.execute('analyze users');
  });
  afterAll(() => orm?.close());

  it('runs where it says it does', async () => {
    const [db] = await orm.em.fork().execute<{ ctype: string; enc: string }[]>(
      `select datctype as ctype, pg_encoding_to_char(encoding) as enc from pg_database where datname = current_database()`,
    );
    expect(db!.enc).toBe('UTF8');
    if (_label.includes("'C'")) expect(db!.ctype).toBe('C');
  });

  it('finds upper-case letters of every script from lower-case terms and the other way round', async () => {
    expect(await search('élodie')).toEqual(['ÉLODIE Marchand']);
    expect(await search('ÉLODIE')).toEqual(['ÉLODIE Marchand']);
    expect(await search('øyvind')).toEqual(['Øyvind Berg']);
    expect(await search('ØYVIND')).toEqual(['Øyvind Berg']);
    expect(await search('łukasz')).toEqual(['Łukasz Nowak']);
    expect(await search('ŁUK')).toEqual(['Łukasz Nowak']);
    expect(await search('ǆemal ǉ')).toEqual(['Ǆemal Ǉubić']);
    expect(await search('plain@example')).toEqual(['Plain Ascii']);
  });

  it('matches the final sigma and composed or decomposed accents alike', async () => {
    expect(await search('οδυσσευσ')).toEqual(['ΟΔΥΣΣΕΥΣ Παππάς']);
    expect(await search('οδυσσευς')).toEqual(['ΟΔΥΣΣΕΥΣ Παππάς']);
    expect(await search('πάς')).toEqual(['ΟΔΥΣΣΕΥΣ Παππάς']);
    expect(await search('émilie')).toEqual(['Émilie Dupont'.normalize('NFD')]);
    expect(await search('E\u0301MILIE')).toEqual(['Émilie Dupont'.normalize('NFD')]);
  });

  it('keeps wildcards literal after folding and finds nothing for a miss', async () => {
    expect(await search('％')).toEqual([]); // NFKC makes it "%", which must not match everything
    expect(await search('_')).toEqual([]);
    expect(await search('élodie.')).toEqual([]);
  });

  it('stores the folded text, also for rows written after the migration', async () => {
    const rows = await orm.em.fork().execute<{ search_text: string }[]>(`select search_text from users where email = 'lukasz@example.pl'`);
    expect(rows[0]!.search_text).toBe('łukasz nowak\x01lukasz@example.pl');
  });
});
