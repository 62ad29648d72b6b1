import { Migration } from '@mikro-orm/migrations';

/**
 * Every order the users list offers can walk its index without reading the
 * table (issue 10). A broad search's page comes from walking the sort
 * column's index and filtering on status, role and search_text
 * (list-users.ts); migration 0008 gave that to created_at and name only, so
 * email, role, usage and last-seen walks read a table row per entry, three
 * times the cost. Last seen sorts never-seen users last in both directions,
 * which one index cannot serve both ways: the ascending order gets its own.
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
    this.addSql(`analyze users`);
  }
}
