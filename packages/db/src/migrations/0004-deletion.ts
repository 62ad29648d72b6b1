import { Migration } from '@mikro-orm/migrations';

/**
 * Scheduled deletion. The users row is the outbox of a purge: status
 * `deleted` + purge_at say it must happen; purge_started_at says it has
 * begun (restore is refused from then on); purge_counts keeps what the purge
 * found when it began, so a resumed purge still audits the full counts.
 */
export class Migration0004Deletion extends Migration {
  override up(): void {
    this.addSql(`alter table users add column purge_started_at timestamptz`);
    this.addSql(`alter table users add column purge_counts jsonb`);
    // Plain ids, no foreign keys: each is re-checked at purge time, and purging one user never rewrites another's row.
    this.addSql(`alter table users add column transfer_to_user_id uuid`);
    this.addSql(`alter table users add column deleted_by_id uuid`);
    this.addSql(`alter table users add constraint users_deleted_has_purge_at check (status <> 'deleted' or purge_at is not null)`);
    this.addSql(`alter table users add constraint users_purge_only_when_deleted check (purge_started_at is null or status = 'deleted')`);
    this.addSql(`alter table users add constraint users_no_self_transfer check (transfer_to_user_id is null or transfer_to_user_id <> id)`);
    // The purge and the FK's `set null` on user removal look invitations up by inviter.
    this.addSql(`create index invitations_invited_by on invitations (invited_by_id)`);
  }
}
