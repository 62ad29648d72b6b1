import { defineGroup } from '../cli/command.ts';
import { call } from './call.ts';

/** The command tree: one file per noun; add a noun here, a verb in its file. */
export const root = defineGroup({
  name: 'roster',
  summary: 'manage a Roster server from the command line',
  children: [call],
  examples: ['roster call setup.status --url http://localhost:3000'],
});
