import { Migration } from '@mikro-orm/migrations';

/**
 * CSV imports (issue 12): one row per import (the BullMQ job id is its id)
 * with its progress and counts, and one report row per CSV record, so the
 * per-row report of a 100,000-row file is paged from PostgreSQL instead of
 * held in Redis or rewritten as one growing JSON value.
 */
export class Migration0020UserImports extends Migration {
  override up(): void {
    this.addSql(`create table user_imports (
      id uuid primary key,
      actor_id uuid references users(id) on delete set null,
      file_name text not null,
      dry_run boolean not null,
      status text not null default 'queued' check (status in ('queued','running','done','failed')),
      total_rows integer,
      processed_rows integer not null default 0,
      counts jsonb not null default '{}',
      error jsonb,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`);
    this.addSql(`create table user_import_rows (
      import_id uuid not null references user_imports(id) on delete cascade,
      row integer not null,
      email text,
      status text not null,
      code text,
      message text,
      primary key (import_id, row)
    )`);
  }
}
