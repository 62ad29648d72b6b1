import { Migration } from '@mikro-orm/migrations';

export class Migration0001Initial extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null,
        name text not null,
        role text not null default 'user' check (role in ('owner','admin','user','pending')),
        status text not null default 'active' check (status in ('active','suspended','deleted')),
        password_hash text,
        must_change_password boolean not null default false,
        avatar_url text,
        storage_label text,
        quota_bytes bigint check (quota_bytes is null or quota_bytes > 0),
        usage_bytes bigint not null default 0 check (usage_bytes >= 0),
        settings jsonb not null default '{}',
        info jsonb not null default '{}',
        status_emoji text,
        status_message text,
        status_expires_at timestamptz,
        suspended_reason text,
        suspended_until timestamptz,
        last_active_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz,
        purge_at timestamptz
      )`);
    this.addSql(`create unique index users_email_lower_key on users (lower(email))`);
    this.addSql(`create unique index users_storage_label_key on users (storage_label) where storage_label is not null`);
    // There is exactly one owner: the database refuses a second one whatever the code does.
    this.addSql(`create unique index users_single_owner on users ((true)) where role = 'owner'`);
    // Substring search on name and email stays index-backed at a million users.
    this.addSql(`create index users_name_trgm on users using gin (name gin_trgm_ops)`);
    this.addSql(`create index users_email_trgm on users using gin (email gin_trgm_ops)`);
    this.addSql(`create index users_created_at on users (created_at, id)`);
    this.addSql(`create index users_purge_at on users (purge_at) where status = 'deleted'`);
    this.addSql(`
      create table sessions (
        id text primary key,
        user_id uuid not null references users(id) on delete cascade,
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        user_agent text,
        ip text
      )`);
    this.addSql(`create index sessions_user_id on sessions (user_id)`);
    this.addSql(`
      create table settings (
        key text primary key,
        value jsonb not null,
        updated_at timestamptz not null default now()
      )`);
  }
}
