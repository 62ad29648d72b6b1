import { z } from 'zod';
import type { Meta } from '../trpc.ts';
import { appRouter } from '../root.ts';
import { TRPC_ENDPOINT } from './trpc-handler.ts';

type Schema = Record<string, unknown>;
interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: unknown[];
  output?: unknown;
  meta?: Meta;
}

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect); a parser zod
 * cannot describe allows anything. Shared or recursive parts that zod puts in
 * `$defs` move to components.schemas under `<prefix>.<name>` (a `#/$defs/…`
 * reference inside a path item would point at the document's root).
 */
function jsonSchema(parser: unknown, io: 'input' | 'output', prefix: string, components: Record<string, Schema>): Schema {
  if (!(parser instanceof z.ZodType)) return {};
  const { $schema: _, $defs, ...schema } = z.toJSONSchema(parser, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Schema;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${prefix}.${v.slice(8)}` : rewrite(v)]),
    );
  };
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, unknown>)) components[`${prefix}.${name}`] = rewrite(def) as Schema;
  return rewrite(schema) as Schema;
}

function inputSchema(path: string, def: ProcedureDef, components: Record<string, Schema>): Schema | undefined {
  const parts = def.inputs.map((p, i) => jsonSchema(p, 'input', `${path}.input${i}`, components));
  if (!parts.length) return undefined;
  return parts.length === 1 ? parts[0] : { allOf: parts };
}

function accessText(meta: Meta | undefined): string {
  const access = meta?.access;
  if (!access) return 'Access: not declared.';
  if (typeof access === 'object') return `Access: signed in with scope \`${access.scope}\`.`;
  return { public: 'Access: anyone.', signedIn: 'Access: any signed-in user.', self: 'Access: the signed-in user, for their own data.' }[access];
}

function operation(path: string, def: ProcedureDef, components: Record<string, Schema>): Schema {
  const input = inputSchema(path, def, components);
  const data = def.output ? jsonSchema(def.output, 'output', `${path}.output`, components) : {};
  const op: Schema = {
    operationId: path,
    tags: [path.split('.')[0]],
    description: accessText(def.meta),
    responses: {
      '200': { description: 'The result', content: { 'application/json': { schema: { type: 'object', required: ['result'], properties: { result: { type: 'object', properties: { data } } } } } } },
      default: { description: 'An error (tRPC error shape; `data.appCode` is the stable domain code)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
  if (def.meta?.access !== 'public') op.security = [{ bearer: [] }, { session: [] }];
  if (def.type === 'query') {
    if (input) op.parameters = [{ name: 'input', in: 'query', description: 'The input as JSON', content: { 'application/json': { schema: input } } }];
  } else if (input) {
    op.requestBody = { required: true, content: { 'application/json': { schema: input } } };
  }
  return op;
}

/**
 * The router as an OpenAPI 3.1 document, for clients that are not
 * TypeScript: one path per procedure (`GET /api/trpc/<name>?input=<json>`
 * for queries, `POST` with a JSON body for mutations), inputs and declared
 * outputs from their zod schemas. Built once per process.
 */
export function buildOpenApiDocument(info: { version: string; serverUrl?: string } = { version: '1' }): Schema {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>;
  const paths: Record<string, Schema> = {};
  const shared: Record<string, Schema> = {};
  for (const name of Object.keys(procedures).sort()) {
    const def = procedures[name]!._def;
    if (def.type === 'subscription') continue;
    paths[`${TRPC_ENDPOINT}/${name}`] = { [def.type === 'query' ? 'get' : 'post']: operation(name, def, shared) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Roster API', version: info.version, description: 'The Roster tRPC router over HTTP (tRPC v11 wire format, no batching, no transformer).' },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A session id (or an API key where the instance has them)' },
        session: { type: 'apiKey', in: 'cookie', name: 'roster_session', description: 'The web session cookie (__Host-roster_session over https)' },
      },
      schemas: {
        ...shared,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['message', 'code'],
              properties: {
                message: { type: 'string' },
                code: { type: 'integer' },
                data: {
                  type: 'object',
                  properties: {
                    code: { type: 'string' },
                    httpStatus: { type: 'integer' },
                    path: { type: 'string' },
                    appCode: { type: 'string' },
                    fieldErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
                    retryAfter: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
