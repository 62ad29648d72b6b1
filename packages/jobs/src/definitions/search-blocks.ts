import { refreshSearchBlocks } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/**
 * Keeps the name and email skip index (migration 0026) fresh: new and
 * renamed users mark their blocks dirty, which searches read whole until
 * this pass recomputes them. A pass stops after 40 s and the next minute's
 * goes on; a search never waits for it.
 */
export const searchBlocks = defineJob({
  name: 'search.blocks',
  payload: z.object({}).default({}),
  repeat: { pattern: '* * * * *' },
  async process({ em }) {
    return refreshSearchBlocks(em, performance.now() + 40_000);
  },
});
