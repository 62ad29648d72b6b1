import { Migration } from '@mikro-orm/migrations';

/**
 * A purge that failed for good (its transfer target became invalid, or every
 * retry failed) is recorded on its row once: the sweeps then leave it alone
 * instead of queueing it, and auditing it, again on every pass. Restore or
 * "purge now" clears it. The due sweep's query (status = 'deleted' and
 * purge_at <= now() + …) is served by users_purge_at from 0001.
 */
export class Migration0011PurgeFailure extends Migration {
  override up(): void {
    this.addSql(`alter table users add column purge_failed_at timestamptz`);
    this.addSql(`alter table users add column purge_failure text`);
    this.addSql(`alter table users add constraint users_purge_failed_only_when_deleted check (purge_failed_at is null or status = 'deleted')`);
  }
}
