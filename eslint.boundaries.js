// Which workspace code may import what (architecture.md: apps → api → core → db/auth, worker → jobs → core).
// Enforced with no-restricted-imports; eslint.config.js spreads these blocks in, and
// test/lint/import-boundaries.test.ts lints sample imports against them.
// ESLint replaces (does not merge) a rule's options across matching blocks, so each block lists every ban for its files.

const apps = { group: ['@roster/web', '@roster/web/*', '@roster/cli', '@roster/cli/*', '@roster/worker', '@roster/worker/*', '**/apps/**'], message: 'Packages never import apps: move the code into a package.' };
const sessionLibs = { group: ['lucia', 'lucia/*', 'oslo', 'oslo/*'], message: 'Only packages/auth imports lucia and oslo: use @roster/auth.' };
const transports = {
  group: ['@roster/api', '@roster/api/*', '@roster/jobs', '@roster/jobs/*', '@trpc/*', 'bullmq', '@sveltejs/*', '$app/*'],
  message: 'Core knows no transport or queue: declare a port in core and implement it in jobs or api.',
};
const webInternals = {
  group: ['@roster/*', '!@roster/api', '!@roster/api/*', '!@roster/config', '!@roster/config/*', 'bullmq', 'ioredis', '@mikro-orm/*'],
  message: 'The web app calls the router: import @roster/api (or @roster/config), never core, db, auth or jobs.',
};

const serverValues = {
  group: ['@roster/*'],
  allowTypeImports: true,
  message: 'The client package ships without the server: only `import type` from @roster/* (its build inlines those types).',
};
const cliInternals = {
  group: ['@roster/*', '!@roster/api', '!@roster/config', '!@roster/test', '!@roster/test/*'],
  message: 'The CLI is a client of the router: types from @roster/api, never core, db, auth or jobs.',
};
const cliRouterValues = { group: ['@roster/api', '@roster/api/*'], allowTypeImports: true, message: 'The CLI calls the router over HTTP: `import type` from @roster/api only.' };
const outsideRoster = {
  group: ['@roster/*', '!@roster/client', '**/packages/**', '**/apps/**'],
  message: 'An example is a service outside this repository: it knows Roster only through @roster/client.',
};

const ban = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default [
  { files: ['**/*.ts', '**/*.js', '**/*.svelte'], rules: ban(sessionLibs) },
  { files: ['packages/**'], ignores: ['packages/auth/**', 'packages/core/**'], rules: ban(apps, sessionLibs) },
  { files: ['packages/auth/**'], rules: ban(apps) },
  { files: ['packages/core/**'], rules: ban(apps, sessionLibs, transports) },
  { files: ['apps/web/**'], rules: ban(sessionLibs, webInternals) },
  { files: ['packages/client/src/**'], ignores: ['**/*.test.ts'], rules: ban(apps, sessionLibs, serverValues) },
  { files: ['apps/cli/src/**'], ignores: ['**/*.test.ts'], rules: ban(sessionLibs, cliInternals, cliRouterValues) },
  { files: ['examples/**'], rules: ban(sessionLibs, outsideRoster) },
];
