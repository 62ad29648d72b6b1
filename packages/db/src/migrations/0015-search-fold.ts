import { Migration } from '@mikro-orm/migrations';

/**
 * Case-insensitive search for every script, whatever the server's locale
 * (issue 10). lower() folds with the database's LC_CTYPE: under "C" (or an
 * old libc) it leaves "ÉLODIE", "Øyvind", "Łukasz" as they are, so a search
 * for "élodie" missed them. roster_fold pins the rule: NFKC (composed and
 * compatibility forms alike, so "e" + U+0301 and "é" are one letter), then
 * lower() under ICU's root collation, which no server setting changes, and
 * the final sigma as σ. Queries fold their term with the same function
 * (packages/core/src/users/fields.ts), so both sides always agree. Needs a
 * UTF8 database on a PostgreSQL built with ICU (the embedded one is, and its
 * cluster is now created UTF8).
 *
 * search_text is rebuilt from it: a generated column's expression cannot be
 * changed in place on PostgreSQL 14–16, so it is dropped with the indexes
 * that carry it and added again, which rewrites the table once.
 */
export class Migration0015SearchFold extends Migration {
  override up(): void {
    this.addSql(`create function roster_fold(t text) returns text language sql immutable strict parallel safe
      return translate(lower(normalize(t, nfkc) collate "und-x-icu"), 'ς', 'σ')`);
    // A search term as a LIKE pattern: folded first, then its wildcards escaped (NFKC turns "％" into "%").
    this.addSql(`create function roster_search_like(t text) returns text language sql immutable strict parallel safe
      return '%' || replace(replace(replace(roster_fold(t), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`);
    this.addSql(`alter table users drop column search_text`); // with users_search_grams, users_created_at and users_name
    this.addSql(`alter table users add column search_text text generated always as (roster_fold(name || chr(1) || email)) stored`);
    this.addSql(`alter table users alter column search_text set statistics 1000`);
    this.addSql(`set local maintenance_work_mem = '256MB'`);
    this.addSql(`create index users_search_grams on users using gin (roster_search_grams(search_text))`);
    this.addSql(`create index users_created_at on users (created_at, id) include (status, role, search_text)`);
    this.addSql(`create index users_name on users (name, id) include (status, role, search_text)`);
    this.addSql(`analyze users`);
  }
}
