import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@roster/config';

/** Lints one import as if it were in `file`, with the workspace's own config: the boundary messages it gets. */
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(`${source}\nexport const x = m;\n`, { filePath: `${repoRoot}/${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (eslint.boundaries.js)', () => {
  it.each([
    ['apps/web/src/routes/x/+page.server.ts', "import { m } from '@roster/core';", /web app calls the router/],
    ['apps/web/src/lib/server/x.ts', "import type { m } from '@roster/db';", /web app calls the router/],
    ['apps/web/src/lib/server/x.ts', "import { m } from 'bullmq';", /web app calls the router/],
    ['packages/core/src/users/x.ts', "import { m } from '@roster/api';", /Core knows no transport/],
    ['packages/core/src/users/x.ts', "import { m } from '@trpc/server';", /Core knows no transport/],
    ['packages/core/src/users/x.ts', "import { m } from 'bullmq';", /Core knows no transport/],
    ['packages/core/src/users/x.ts', "import { m } from '@sveltejs/kit';", /Core knows no transport/],
    ['packages/api/src/x.ts', "import { m } from '@roster/web';", /Packages never import apps/],
    ['packages/jobs/src/x.ts', "import { m } from '../../../apps/worker/src/main.ts';", /Packages never import apps/],
    ['packages/core/src/x.ts', "import { m } from 'lucia';", /Only packages\/auth/],
    ['packages/api/src/x.ts', "import { m } from 'oslo/password';", /Only packages\/auth/],
    ['apps/cli/src/x.ts', "import { m } from 'oslo';", /Only packages\/auth/],
    ['apps/cli/src/x.ts', "import { m } from '@roster/core';", /CLI is a client of the router/],
    ['apps/cli/src/x.ts', "import { m } from '@roster/api';", /CLI calls the router over HTTP/],
    ['packages/client/src/x.ts', "import { m } from '@roster/api';", /client package ships without the server/],
    ['packages/client/src/x.ts', "import { m } from '@roster/core/webhooks/signature';", /client package ships without the server/],
    ['examples/service/src/x.ts', "import { m } from '@roster/api';", /outside this repository/],
    ['examples/service/src/x.ts', "import { m } from '../../../packages/core/src/index.ts';", /outside this repository/],
  ])('%s: %s is refused', async (file, source, message) => {
    const errors = await boundaryErrors(file, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['apps/web/src/routes/x/+page.server.ts', "import { m } from '@roster/api';"],
    ['apps/web/src/lib/server/x.ts', "import { m } from '@roster/config';"],
    ['packages/auth/src/x.ts', "import { m } from 'oslo/password';"],
    ['packages/api/src/x.ts', "import { m } from '@roster/jobs';"],
    ['packages/jobs/src/x.ts', "import { m } from '@roster/core';"],
    ['packages/core/src/x.ts', "import { m } from '@roster/db';"],
    ['apps/cli/src/x.ts', "import type { m } from '@roster/api';"],
    ['packages/client/src/x.ts', "import type { m } from '@roster/api/root';"],
    ['packages/client/src/x.ts', "import { m } from '@trpc/client';"],
    ['examples/service/src/x.ts', "import { m } from '@roster/client';"],
  ])('%s: %s is allowed', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});
