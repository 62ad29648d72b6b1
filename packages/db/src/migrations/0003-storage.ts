import { Migration } from '@mikro-orm/migrations';

export class Migration0003Storage extends Migration {
  override up(): void {
    // Restrict: a user with files cannot be deleted; the purge removes (or transfers) them first.
    this.addSql(`
      create table files (
        id uuid primary key,
        owner_id uuid not null references users(id) on delete restrict,
        path text not null unique,
        size bigint not null check (size >= 0),
        sha1 text not null,
        mime_type text not null,
        original_name text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index files_owner on files (owner_id, created_at desc, id)`);
    this.addSql(`
      create table file_uploads (
        id uuid primary key,
        user_id uuid not null references users(id) on delete cascade,
        path text not null,
        bytes bigint not null check (bytes >= 0),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create index file_uploads_user on file_uploads (user_id)`);
    this.addSql(`create index file_uploads_updated on file_uploads (updated_at)`);
    this.addSql(`
      create table notifications (
        id uuid primary key,
        user_id uuid not null references users(id) on delete cascade,
        kind text not null,
        message text not null,
        data jsonb not null default '{}',
        created_at timestamptz not null default now(),
        read_at timestamptz
      )`);
    this.addSql(`create index notifications_user on notifications (user_id, created_at desc)`);
    this.addSql(`create index notifications_kind on notifications (kind, created_at desc)`);
    // The highest quota warning (0, 80, 90, 100) already sent since usage was last below it.
    this.addSql(`alter table users add column quota_warned_percent smallint not null default 0`);
    // Server stats list users by usage.
    this.addSql(`create index users_usage_bytes on users (usage_bytes desc, id)`);
  }
}
