import { defineGroup } from '../cli/command.ts';
import { audit } from './audit.ts';
import { login, logout, whoami } from './auth.ts';
import { call } from './call.ts';
import { files } from './files.ts';
import { groups } from './groups.ts';
import { jobs } from './jobs.ts';
import { keys } from './keys.ts';
import { me } from './me.ts';
import { permissions } from './permissions.ts';
import { profiles } from './profiles.ts';
import { security } from './security.ts';
import { settings } from './settings.ts';
import { stats } from './stats.ts';
import { users } from './users.ts';
import { webhooks } from './webhooks.ts';

/** The command tree: one file per noun; add a noun here, a verb in its file. */
export const root = defineGroup({
  name: 'roster',
  summary: 'manage a Roster server from the command line',
  children: [login, logout, whoami, me, users, groups, permissions, settings, security, files, stats, jobs, audit, keys, webhooks, profiles, call],
  examples: [
    'roster login --url http://localhost:3000 --email olga@example.com',
    'roster whoami',
    'roster users list --query olga',
    'roster users create uma@example.com --name "Uma User" --generate-password',
    'roster groups add Uploaders uma@example.com --expires 30d',
    'roster permissions check uma@example.com files.upload',
    'roster files upload photo.jpg',
    'roster users list --json | jq ".total"',
    'roster call admin.users.list -F pageSize=5',
  ],
});
