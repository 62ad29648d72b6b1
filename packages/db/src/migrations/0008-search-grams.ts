import { Migration } from '@mikro-orm/migrations';

/**
 * Substring search that any term can narrow (bench/search.ts, issue 3).
 *
 * pg_trgm splits text into words on spaces and punctuation, so the terms
 * admins type across a word boundary ("an Br", "o Jen"), terms of one or two
 * characters ("ze") and terms without letters ("@@@") gave it nothing to
 * narrow with: 60–600 ms at a million users. This index holds every 1-, 2-
 * and 3-character piece of search_text, spaces and punctuation included, so
 * a term's own pieces (itself when it is 1–3 characters, else its
 * 3-character pieces; roster_search_keys) find its candidates, and the LIKE
 * on search_text keeps the exact ones. It replaces the pg_trgm index.
 *
 * A broad search's page walks an index on the sort column and filters
 * (list-users.ts) instead of sorting every match, so each column admins sort
 * by gets one; the two most used carry search_text, so that walk is an
 * index-only scan (a third of the cost per row of reading the table).
 */
export class Migration0008SearchGrams extends Migration {
  override up(): void {
    // plpgsql: twice as fast as a generate_series query for the million calls of an index build.
    this.addSql(`create function roster_search_grams(t text) returns text[] language plpgsql immutable strict parallel safe as $$
      declare grams text[] := '{}'; n int := length(t);
      begin
        for i in 1..n loop
          grams := grams || substr(t, i, 1);
          if i < n then grams := grams || substr(t, i, 2); end if;
          if i < n - 1 then grams := grams || substr(t, i, 3); end if;
        end loop;
        return grams; -- GIN drops the duplicates itself
      end $$`);
    this.addSql(`create function roster_search_keys(t text) returns text[] language sql immutable strict parallel safe as $$
      select case when length(t) <= 3 then array[t]
                  else array(select distinct substr(t, i, 3) from generate_series(1, length(t) - 2) i) end
    $$`);
    this.addSql(`set local maintenance_work_mem = '256MB'`);
    this.addSql(`create index users_search_grams on users using gin (roster_search_grams(search_text))`);
    this.addSql(`drop index users_search_trgm`);
    // Scanned forwards or backwards, with id as the tie-break in the same direction. The default order
    // (created_at) and the pickers' (name) carry what a search filters on, so their walk never leaves the index.
    this.addSql(`drop index users_created_at`);
    this.addSql(`create index users_created_at on users (created_at, id) include (status, role, search_text)`);
    this.addSql(`create index users_name on users (name, id) include (status, role, search_text)`);
    this.addSql(`create index users_email on users (email, id)`);
    this.addSql(`create index users_role on users (role, id)`);
    this.addSql(`drop index users_usage_bytes`);
    this.addSql(`create index users_usage_bytes on users (usage_bytes, id)`);
    // Never-seen users sort last both ways; one index can serve only one of them: the common one, most recent first.
    this.addSql(`create index users_last_active_at on users (last_active_at desc nulls last, id desc)`);
    this.addSql(`analyze users`);
  }
}
