import { Migration } from '@mikro-orm/migrations';

/**
 * API keys (issue 13): a secret a service presents as `Bearer rst_…`,
 * stored only as its SHA-256 like sessions. A key belongs to one user and
 * dies with them (cascade), and holds a subset of that user's scopes
 * (checked again at each request). Users gain the role `service`: accounts
 * without a password that exist to own keys.
 */
export class Migration0023ApiKeys extends Migration {
  override up(): void {
    this.addSql(`
      create table api_keys (
        id uuid primary key,
        user_id uuid not null references users(id) on delete cascade,
        name text not null,
        prefix text not null,
        secret_hash text not null unique,
        scopes jsonb not null default '[]',
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    this.addSql(`create index api_keys_user_id_idx on api_keys (user_id)`);
    this.addSql(`alter table users drop constraint users_role_check`);
    this.addSql(`alter table users add constraint users_role_check check (role in ('owner','admin','user','pending','service'))`);
  }
}
