import type { JobDefinition } from './definition.ts';
import { auditChain, auditPrune } from './definitions/audit-chain.ts';
import { groupMembershipExpire } from './definitions/group-membership-expire.ts';
import { searchBlocks } from './definitions/search-blocks.ts';
import { sessionsCleanup } from './definitions/sessions-cleanup.ts';
import { userPurge } from './definitions/user-purge.ts';
import { userSweep } from './definitions/user-sweep.ts';
import { usersImport } from './definitions/users-import.ts';
import { usersBulk } from './definitions/users-bulk.ts';
import { storageMigrate } from './definitions/storage-migrate.ts';
import { storageRecalculateUsage } from './definitions/storage-recalculate-usage.ts';
import { storageSweepOrphans } from './definitions/storage-sweep-orphans.ts';
import { webhookDeliver } from './webhooks/deliver-job.ts';

/** Every job the worker runs, by name. */
export const jobDefinitions: JobDefinition[] = [sessionsCleanup, userPurge, userSweep, storageMigrate, storageRecalculateUsage, storageSweepOrphans, groupMembershipExpire, usersImport, auditChain, auditPrune, usersBulk, webhookDeliver, searchBlocks];

export function jobByName(name: string): JobDefinition | undefined {
  return jobDefinitions.find((j) => j.name === name);
}
