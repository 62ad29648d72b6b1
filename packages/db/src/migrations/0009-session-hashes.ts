import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions at rest (issue 9). `sessions.id` becomes the SHA-256 (hex) of
 * the token the client holds, so a leaked backup holds no live session; the
 * existing rows are hashed in place, so everyone stays signed in across the
 * upgrade. `rotate` marks sessions whose user's role changed: they get a new
 * token at their next request. `setup_tokens` holds the hashes of the
 * one-time first-run tokens the web process prints while no owner exists.
 */
export class Migration0009SessionHashes extends Migration {
  override up(): void {
    this.addSql(`update sessions set id = encode(sha256(convert_to(id, 'UTF8')), 'hex')`);
    this.addSql(`alter table sessions add column rotate boolean not null default false`);
    this.addSql(`
      create table setup_tokens (
        token_hash text primary key,
        created_at timestamptz not null default now()
      )`);
  }
}
