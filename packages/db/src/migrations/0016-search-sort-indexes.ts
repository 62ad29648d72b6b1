import { Migration } from '@mikro-orm/migrations';

/**
 * Every order the users list offers can walk its index without reading the
 * table (issue 10). A broad search's page comes from walking the sort
 * column's index and filtering on status, role and search_text
 * (list-users.ts); migration 0008 gave that to created_at and name only, so
 * email, role, usage and last-seen walks read a table row per entry, three
 * times the cost. Last seen sorts never-seen users last in both directions,
 * which one index cannot serve both ways: the ascending order gets its own.
 *
 * A long term's 3-character pieces include some that most users have
 * (".co", "com", "exa" of a shared domain): GIN reads each piece's whole
 * posting list, 3,000 pages for a full e-mail at a million users. Four of
 * the term's pieces are enough to narrow it (the LIKE keeps the exact
 * matches): roster_search_keys now takes the four rarest, by the element
 * frequencies ANALYZE keeps for the index (pg_stats); a piece not among
 * them is rarer than all of those. 53 pages for the same e-mail.
 */
export class Migration0016SearchSortIndexes extends Migration {
  override up(): void {
    this.addSql(`set local maintenance_work_mem = '256MB'`);
    this.addSql(`drop index users_email`);
    this.addSql(`create index users_email on users (email, id) include (status, role, search_text)`);
    this.addSql(`drop index users_role`);
    this.addSql(`create index users_role on users (role, id) include (status, search_text)`);
    this.addSql(`drop index users_usage_bytes`);
    this.addSql(`create index users_usage_bytes on users (usage_bytes, id) include (status, role, search_text)`);
    this.addSql(`drop index users_last_active_at`);
    this.addSql(`create index users_last_active_at on users (last_active_at desc nulls last, id desc) include (status, role, search_text)`);
    this.addSql(`create index users_last_active_at_asc on users (last_active_at asc nulls last, id asc) include (status, role, search_text)`);
    this.addSql(`create or replace function roster_search_keys(t text) returns text[] language sql stable strict parallel safe as $$
      select case when length(t) <= 3 then array[t] else array(
        select k from (select distinct substr(t, i, 3) as k from generate_series(1, length(t) - 2) i) as keys
          left join (select e, f from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as m(e, f)
                      where s.schemaname = current_schema() and s.tablename = 'users_search_grams') as common on common.e = keys.k
         order by coalesce(common.f, 0), k limit 4) end
    $$`);
    this.addSql(`analyze users`);
  }
}
