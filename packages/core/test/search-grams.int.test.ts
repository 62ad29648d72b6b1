import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { createTestDatabase } from '@roster/test/support/database';

/**
 * Migration 0025 replaced roster_search_grams in place, keeping the index
 * built with 0008's version: that is only sound if both give the same array
 * for every text, element for element. 0008's loop is recreated here under
 * another name and both run over texts of every length and script.
 */
const OLD_GRAMS = `create function pg_temp.grams_0008(t text) returns text[] language plpgsql immutable strict as $$
  declare grams text[] := '{}'; n int := length(t);
  begin
    for i in 1..n loop
      grams := grams || substr(t, i, 1);
      if i < n then grams := grams || substr(t, i, 2); end if;
      if i < n - 1 then grams := grams || substr(t, i, 3); end if;
    end loop;
    return grams;
  end $$`;

const TEXTS = [
  '', 'a', 'ab', 'abc', 'abcd', ' ', '  x ', '%_\\', "o'brien",
  'élodie marchand\u0001elodie@example.fr', 'øyvind berg\u0001oyvind@example.no', 'łukasz nowak\u0001lukasz@example.pl',
  'e\u0301milie', 'ǆemal ǉubić', 'οδυσσευσ παππάσ', '山田 太郎\u0001taro@example.jp', '김민준', 'مريم', 'नमस्ते',
  '😀 emoji 👩‍👩‍👧', 'tab\there', 'line\nbreak', 'x'.repeat(300),
];

let orm: MikroORM;
let em: EntityManager;
beforeAll(async () => {
  orm = await openOrm(await createTestDatabase(), { poolMax: 1 });
  em = orm.em.fork() as EntityManager;
  await em.execute(OLD_GRAMS);
});
afterAll(() => orm?.close());

describe('roster_search_grams (migration 0025)', () => {
  it('gives the same arrays as 0008’s loop, in the same order', async () => {
    const [fn] = await em.execute<{ src: string }[]>(`select prosrc as src from pg_proc where proname = 'roster_search_grams'`);
    expect(fn!.src).toContain('string_to_array'); // the migrated database has 0025's version, not 0008's
    const rows = await em.execute<{ t: string; now: string[]; old: string[] }[]>(
      `select t, roster_search_grams(t) as now, pg_temp.grams_0008(t) as old from jsonb_array_elements_text(?::jsonb) as t`,
      [JSON.stringify(TEXTS)],
    );
    expect(rows).toHaveLength(TEXTS.length);
    for (const r of rows) expect(r.now, JSON.stringify(r.t)).toEqual(r.old);
    expect(rows.find((r) => r.t === 'abcd')!.now).toEqual(['a', 'ab', 'abc', 'b', 'bc', 'bcd', 'c', 'cd', 'd']);
    expect(rows.find((r) => r.t === '山田 太郎\u0001taro@example.jp')!.now.slice(0, 4)).toEqual(['山', '山田', '山田 ', '田']);
  });

  it('agrees on 5,000 generated names and emails folded as search_text is', async () => {
    const [r] = await em.execute<{ n: number; differ: number }[]>(
      `select count(*)::int as n, count(*) filter (where roster_search_grams(t) is distinct from pg_temp.grams_0008(t))::int as differ
         from (select roster_fold(name || chr(1) || email) as t
                 from (select (array['Élodie', 'Øyvind', 'Łukasz', '山田', 'Ann-Marie', 'Zoë'])[1 + g % 6] || ' ' || md5(g::text) as name,
                              'u' || g || '@example.' || (array['com', 'fr', 'pl', 'jp'])[1 + g % 4] as email
                         from generate_series(1, 5000) g) as people) as texts`,
    );
    expect(r).toEqual({ n: 5000, differ: 0 });
  });
});
