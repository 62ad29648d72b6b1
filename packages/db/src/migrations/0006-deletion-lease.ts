import { Migration } from '@mikro-orm/migrations';

/**
 * The purge's claim as a lease on the users row: who runs the purge and
 * until when. A worker that dies mid-purge stops renewing it, so once it
 * lapses the next run resumes; a live one keeps other workers out.
 */
export class Migration0006DeletionLease extends Migration {
  override up(): void {
    this.addSql(`alter table users add column purge_lease_owner text`);
    this.addSql(`alter table users add column purge_lease_until timestamptz`);
    this.addSql(`alter table users add constraint users_lease_only_when_purging check (purge_lease_owner is null or purge_started_at is not null)`);
  }
}
