import { Migration } from '@mikro-orm/migrations';

/**
 * Admin search at a million users (bench/search.ts). One trigram index over
 * name and email together replaces the two per-column ones: a search is one
 * index scan and one recheck instead of a BitmapOr of two. Its statistics
 * target is raised so ANALYZE samples the expression well: the planner then
 * knows whether a term matches ten users or a hundred thousand, and picks
 * the index for rare terms and the created_at order for common ones.
 * chr(1) keeps a term from matching across the end of the name and the
 * start of the email. list-users.ts and search-users.ts query this exact
 * expression.
 */
export class Migration0005SearchPerf extends Migration {
  override up(): void {
    this.addSql(`create index users_search_trgm on users using gin (lower(name || chr(1) || email) gin_trgm_ops)`);
    this.addSql(`alter index users_search_trgm alter column 1 set statistics 1000`);
    this.addSql(`drop index users_name_trgm`);
    this.addSql(`drop index users_email_trgm`);
    this.addSql(`analyze users`);
  }
}
