import { Migration } from '@mikro-orm/migrations';

/**
 * A user's role or status change moves the permission epoch (0022) at commit
 * rather than at its UPDATE. The epoch is one row: bumped mid-transaction,
 * its lock was held through the rest of the transaction (the audit row, the
 * session rotation, each round trip to node), so role changes and deletes
 * queued behind one another (bench/peers, update role at 32 connections). A
 * deferred constraint trigger bumps it as the transaction commits: still
 * inside it, so a reader that sees the new number also sees the change.
 */
export class Migration0027PermissionEpochAtCommit extends Migration {
  override up(): void {
    this.addSql(`drop trigger users_permission_epoch on users`);
    this.addSql(`create constraint trigger users_permission_epoch after update on users
      deferrable initially deferred for each row
      when (old.role is distinct from new.role or old.status is distinct from new.status)
      execute function roster_bump_permission_epoch()`);
  }
}
