import { Migration } from '@mikro-orm/migrations';

export class Migration0002Lifecycle extends Migration {
  override up(): void {
    // Kept after the user row is gone: actor and target are plain ids, not foreign keys.
    this.addSql(`
      create table audit_log (
        id bigserial primary key,
        at timestamptz not null default now(),
        actor_id uuid,
        action text not null,
        target_id uuid,
        details jsonb not null default '{}'
      )`);
    this.addSql(`create index audit_log_target on audit_log (target_id, at desc)`);
    this.addSql(`create index audit_log_at on audit_log (at desc)`);
    this.addSql(`
      create table invitations (
        id uuid primary key,
        email text not null,
        role text not null check (role in ('admin','user','pending')),
        token_hash text not null unique,
        invited_by_id uuid references users(id) on delete set null,
        expires_at timestamptz not null,
        accepted_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index invitations_email on invitations (lower(email))`);
    this.addSql(`
      create table password_reset_tokens (
        token_hash text primary key,
        user_id uuid not null references users(id) on delete cascade,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index password_reset_tokens_user on password_reset_tokens (user_id)`);
  }
}
