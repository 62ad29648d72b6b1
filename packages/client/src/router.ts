import type { inferRouterInputs, inferRouterOutputs, TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import type { AppRouter as ServerRouter } from '@roster/api/root';

/**
 * A type spelled out to its leaves: the declaration emitted for this file then
 * holds plain object types and literal unions, not names from the server's
 * packages (core's DTOs name database entity types, e.g. `User['role']`).
 */
// (`extends infer O`: the result of a resolved conditional type has no alias, so the printer writes it out.)
type Plain<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? Plain<E>[]
    : T extends infer O
      ? { [K in keyof O]: Plain<O[K]> }
      : never;

type ClientProcedure<P> =
  P extends TRPCQueryProcedure<infer D>
    ? TRPCQueryProcedure<{ input: Plain<D['input']>; output: Plain<D['output']>; meta: object }>
    : P extends TRPCMutationProcedure<infer D>
      ? TRPCMutationProcedure<{ input: Plain<D['input']>; output: Plain<D['output']>; meta: object }>
      : never;

type ClientRecord<R> = R extends infer O
  ? { [K in keyof O]: O[K] extends (...args: never[]) => unknown ? ClientProcedure<O[K]> : ClientRecord<O[K]> }
  : never;

declare function spell<T>(): T;
// Inferred, not annotated, so that the emitted declaration spells the types out.
const _procedures = spell<ClientRecord<ServerRouter['_def']['record']>>();
const _errorShape = spell<Plain<ServerRouter['_def']['_config']['$types']['errorShape']>>();

/**
 * Roster's router as a client sees it: the server's procedures (inputs,
 * outputs, error shape) without the request context, which is the server's
 * business (database, queues) and would drag the server's packages in.
 */
export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: typeof _errorShape; transformer: false }, typeof _procedures>;

/** Each procedure's input, e.g. `RouterInputs['permissions']['check']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Each procedure's output, e.g. `RouterOutputs['admin']['users']['list']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
