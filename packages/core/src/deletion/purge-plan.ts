import { apiKeysPurgeStep } from '../api-keys/api-keys-purge-step.ts';
import { groupsPurgeStep } from '../groups/groups-purge-step.ts';
import { filesPurgeStep } from '../storage/files-purge-step.ts';
import type { PurgeStep } from './purge-step.ts';
import { accountStep } from './steps/account-steps.ts';
import { userRowStep } from './steps/user-row-step.ts';

/**
 * The steps of a purge, in order; each commits before the next begins.
 * Files go first (moved to the transfer target or removed from disk, then
 * their rows): `files.owner_id` restricts, so the user row cannot go while
 * any file row remains. The user row is always last.
 */
export const purgePlan: readonly PurgeStep[] = [
  filesPurgeStep,
  groupsPurgeStep,
  apiKeysPurgeStep,
  accountStep,
  userRowStep,
];
