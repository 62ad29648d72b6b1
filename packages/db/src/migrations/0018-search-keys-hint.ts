import { Migration } from '@mikro-orm/migrations';

/**
 * The pieces a search looks up, chosen without reading pg_stats per query
 * (issue 10). Migration 0016's roster_search_keys(t) read the gram index's
 * element frequencies from pg_stats on every call: unnesting thousands of
 * elements took 10–45 ms on the loaded 2-core machine, and the planner
 * called it once more while planning, so a search that needed 1 ms of index
 * work took 20–90. The caller (list-users.ts) now keeps those frequencies
 * in memory and passes the term's common pieces, most common first; this
 * function is a pure function of its arguments, folded to a constant once
 * at planning. Pieces absent from the hint count as rarest; a stale or
 * empty hint only changes which four pieces are used, never the matches
 * (the LIKE keeps the exact ones).
 */
export class Migration0018SearchKeysHint extends Migration {
  override up(): void {
    this.addSql(`create function roster_search_keys(t text, common text[]) returns text[] language sql immutable strict parallel safe as $$
      select case when length(t) <= 3 then array[t] else array(
        select k from (select distinct substr(t, i, 3) as k from generate_series(1, length(t) - 2) i) as keys
         order by array_position(common, k) desc nulls first, k limit 4) end
    $$`);
  }
}
