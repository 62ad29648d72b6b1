import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Initial } from './0001-initial.ts';
import { Migration0002Lifecycle } from './0002-lifecycle.ts';
import { Migration0003Storage } from './0003-storage.ts';
import { Migration0004Deletion } from './0004-deletion.ts';
import { Migration0005SearchPerf } from './0005-search-perf.ts';
import { Migration0006DeletionLease } from './0006-deletion-lease.ts';
import { Migration0007SearchColumn } from './0007-search-column.ts';
import { Migration0008SearchGrams } from './0008-search-grams.ts';
import { Migration0009SessionHashes } from './0009-session-hashes.ts';
import { Migration0011PurgeFailure } from './0011-purge-failure.ts';
import { Migration0015SearchFold } from './0015-search-fold.ts';
import { Migration0016SearchSortIndexes } from './0016-search-sort-indexes.ts';
import { Migration0017GroupsPermissions } from './0017-groups-permissions.ts';
import { Migration0018SearchKeysHint } from './0018-search-keys-hint.ts';
import { Migration0019AuditChain } from './0019-audit-chain.ts';
import { Migration0020UserImports } from './0020-user-imports.ts';
import { Migration0022PermissionEpoch } from './0022-permission-epoch.ts';
import { Migration0023ApiKeys } from './0023-api-keys.ts';
import { Migration0024Webhooks } from './0024-webhooks.ts';
import { Migration0025SearchGramsSplit } from './0025-search-grams-split.ts';
import { Migration0026SearchBlocks } from './0026-search-blocks.ts';

/** Applied in this order; append new migrations, never edit a landed one. */
export const migrations: MigrationObject[] = [
  { name: '0001-initial', class: Migration0001Initial },
  { name: '0002-lifecycle', class: Migration0002Lifecycle },
  { name: '0003-storage', class: Migration0003Storage },
  { name: '0004-deletion', class: Migration0004Deletion },
  { name: '0005-search-perf', class: Migration0005SearchPerf },
  { name: '0006-deletion-lease', class: Migration0006DeletionLease },
  { name: '0007-search-column', class: Migration0007SearchColumn },
  { name: '0008-search-grams', class: Migration0008SearchGrams },
  { name: '0009-session-hashes', class: Migration0009SessionHashes },
  { name: '0011-purge-failure', class: Migration0011PurgeFailure },
  { name: '0015-search-fold', class: Migration0015SearchFold },
  { name: '0016-search-sort-indexes', class: Migration0016SearchSortIndexes },
  { name: '0017-groups-permissions', class: Migration0017GroupsPermissions },
  { name: '0018-search-keys-hint', class: Migration0018SearchKeysHint },
  { name: '0019-audit-chain', class: Migration0019AuditChain },
  { name: '0020-user-imports', class: Migration0020UserImports },
  { name: '0022-permission-epoch', class: Migration0022PermissionEpoch },
  { name: '0023-api-keys', class: Migration0023ApiKeys },
  { name: '0024-webhooks', class: Migration0024Webhooks },
  { name: '0025-search-grams-split', class: Migration0025SearchGramsSplit },
  { name: '0026-search-blocks', class: Migration0026SearchBlocks },
];
