import { Migration } from '@mikro-orm/migrations';

/**
 * A counter that moves whenever anything a user's effective permissions
 * depend on changes: the default template, a group's grants or denies, a
 * membership, a user's role or status, a user removed (issue 11's
 * benchmark). The session lookup reads it, so each web process may keep
 * computed permissions in memory and still see a change on the next
 * request. Triggers, not application code, so no write path (the purge,
 * a cascade, plain SQL) can forget it. One row updated inside the writing
 * transaction: a reader that sees the new number also sees the change.
 */
export class Migration0022PermissionEpoch extends Migration {
  override up(): void {
    this.addSql(`create table permission_epoch (id int primary key default 1 check (id = 1), n bigint not null default 0)`);
    this.addSql(`insert into permission_epoch (id, n) values (1, 0)`);
    this.addSql(`create function roster_bump_permission_epoch() returns trigger language plpgsql as $$
      begin update permission_epoch set n = n + 1 where id = 1; return null; end $$`);
    for (const table of ['permission_defaults', 'groups', 'group_members']) {
      this.addSql(`create trigger ${table}_permission_epoch after insert or update or delete or truncate on ${table}
        for each statement execute function roster_bump_permission_epoch()`);
    }
    this.addSql(`create trigger users_permission_epoch after update on users for each row
      when (old.role is distinct from new.role or old.status is distinct from new.status)
      execute function roster_bump_permission_epoch()`);
    this.addSql(`create trigger users_removed_permission_epoch after delete on users
      for each statement execute function roster_bump_permission_epoch()`);
  }
}
