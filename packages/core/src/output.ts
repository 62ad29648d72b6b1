import { z } from 'zod';

/**
 * Building blocks of the router's output schemas (`.output()` in packages/api).
 * The router has no transformer: a timestamp leaves as the ISO text the DTOs hold.
 */
export const isoDateSchema = z.iso.datetime();

/** A page of a list: `{items, total}`. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int().min(0) });

/** `{ok: true}`, the answer of actions with nothing else to say. */
export const okSchema = z.object({ ok: z.literal(true) });

/** `{key: boolean}` permission values. */
export const permissionValuesOutSchema = z.record(z.string(), z.boolean());
