import { Migration } from '@mikro-orm/migrations';

/**
 * Groups and permissions (issue 11): the default template's overrides,
 * groups with their grants and denies, and memberships (with an optional
 * expiry and the manager flag). Effective permissions read a user's
 * memberships by user (group_members_user); the expiry sweep reads them by
 * expires_at; deleting a group or a user removes its memberships (cascade).
 */
export class Migration0017GroupsPermissions extends Migration {
  override up(): void {
    this.addSql(`create table permission_defaults (
      key text primary key,
      allowed boolean not null,
      updated_at timestamptz not null default now())`);
    this.addSql(`create table groups (
      id uuid primary key,
      name text not null check (length(name) between 1 and 100),
      description text,
      grants jsonb not null default '[]',
      denies jsonb not null default '[]',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now())`);
    this.addSql(`create unique index groups_name_lower_key on groups (lower(name))`);
    this.addSql(`create table group_members (
      group_id uuid not null references groups (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      manager boolean not null default false,
      expires_at timestamptz,
      added_at timestamptz not null default now(),
      primary key (group_id, user_id))`);
    this.addSql(`create index group_members_user on group_members (user_id)`);
    this.addSql(`create index group_members_expires_at on group_members (expires_at) where expires_at is not null`);
  }
}
