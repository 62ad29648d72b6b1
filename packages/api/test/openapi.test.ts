import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../src/root.ts';
import { buildOpenApiDocument } from '../src/http/openapi.ts';

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument({ version: 'test' });

  it('is a valid OpenAPI 3.1 document (swagger-parser against the official 3.1 schema)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    const validated = await SwaggerParser.validate(structuredClone(doc) as never);
    expect(validated.info.title).toBe('Roster API');
    // The validator does bite: a parameter in no valid place is refused.
    const broken = structuredClone(doc) as any;
    broken.paths['/api/trpc/auth.me'].get.parameters = [{ name: 'x', in: 'nowhere', schema: {} }];
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('has one operation per procedure: queries as GET with JSON input, mutations as POST bodies', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const paths = doc.paths as Record<string, Record<string, any>>;
    expect(Object.keys(paths).sort()).toEqual(Object.keys(procedures).map((p) => `/api/trpc/${p}`).sort());
    const signIn = paths['/api/trpc/auth.signIn']!.post;
    expect(signIn.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    expect(signIn.security).toBeUndefined();
    const list = paths['/api/trpc/admin.users.list']!.get;
    expect(list.parameters[0]).toMatchObject({ name: 'input', in: 'query' });
    expect(list.description).toMatch(/scope `user:list`/);
    expect(list.security).toEqual([{ bearer: [] }, { session: [] }]);
  });

  it("declares every procedure's response: the result's data schema comes from its .output()", () => {
    const paths = doc.paths as Record<string, Record<string, any>>;
    const dataOf = (op: any) => op.responses['200'].content['application/json'].schema.properties.result.properties.data;
    const undeclared = Object.entries(paths)
      .filter(([, item]) => Object.keys(dataOf(Object.values(item)[0])).length === 0)
      .map(([p]) => p);
    expect(undeclared).toEqual([]);
    const list = dataOf(paths['/api/trpc/admin.users.list']!.get);
    expect(list).toMatchObject({ type: 'object', required: expect.arrayContaining(['items', 'total']) });
    const user = list.properties.items.items;
    expect(user.properties.role).toMatchObject({ enum: expect.arrayContaining(['owner', 'admin', 'user', 'pending', 'service']) });
    expect(user.properties.createdAt).toMatchObject({ type: 'string' });
    // Secrets are not in the contract: no user schema has a password hash.
    expect(JSON.stringify(doc)).not.toMatch(/passwordHash|password_hash"/);
  });
});
