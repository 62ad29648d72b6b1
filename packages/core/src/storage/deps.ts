import type { CoreDeps } from '../deps.ts';

/** What the storage use cases need; job processors (JobDeps) provide it too. */
export type StorageDeps = Pick<CoreDeps, 'em' | 'clock' | 'dataDir'>;
