import { chainPending, pruneAudit } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/**
 * Links the audit events committed since the last pass into the hash chain.
 * Requests never wait for this: they insert unchained rows, and verify and
 * prune also chain what is pending first, so a missed pass loses nothing.
 */
export const auditChain = defineJob({
  name: 'audit.chain',
  payload: z.object({}).default({}),
  repeat: { pattern: '* * * * *' },
  async process({ em }) {
    return { linked: await chainPending(em) };
  },
});

/** Removes events older than the retention setting, leaving a checkpoint the chain verifies from. */
export const auditPrune = defineJob({
  name: 'audit.prune',
  payload: z.object({}).default({}),
  repeat: { pattern: '45 3 * * *' },
  async process({ em, clock }) {
    return pruneAudit({ em, clock });
  },
});
