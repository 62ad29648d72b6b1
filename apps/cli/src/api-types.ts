import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@roster/api';

/** Procedure inputs and outputs, straight from the router's types (a type-only import: nothing of the server is bundled). */
export type Inputs = inferRouterInputs<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;

/** Lists every member of a union, or fails to compile: keeps CLI choices in step with the API's enums. */
export const every =
  <T extends string>() =>
  <const A extends readonly T[]>(...values: A & ([T] extends [A[number]] ? unknown : 'missing a value')) =>
    values;
