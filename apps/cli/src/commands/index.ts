import { defineGroup } from '../cli/command.ts';
import { login, logout, whoami } from './auth.ts';
import { call } from './call.ts';
import { profiles } from './profiles.ts';

/** The command tree: one file per noun; add a noun here, a verb in its file. */
export const root = defineGroup({
  name: 'roster',
  summary: 'manage a Roster server from the command line',
  children: [login, logout, whoami, profiles, call],
  examples: [
    'roster login --url http://localhost:3000 --email olga@example.com',
    'roster whoami',
    'roster call admin.users.list -F pageSize=5',
  ],
});
