import { fileSchema, pageOf } from '@roster/core';
import { fileDeletedSchema, storageUsageSchema } from '../outputs/account.ts';
import { deleteFile, getFile, getStorageUsage, idSchema, listFiles, pageSchema } from '@roster/core';
import { z } from 'zod';
import { signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

/**
 * Own files, or any user's with `files:manage` (admins). Upload and download
 * stream over plain HTTP beside the router: `POST /api/files`, `GET /api/files/:id`.
 */
export const filesRouter = t.router({
  list: signedInProcedure()
    .input(z.object({ ...pageSchema, userId: idSchema.optional() }).default({ page: 1, pageSize: 25 }))
    .output(pageOf(fileSchema)).query(({ ctx, input }) => listFiles(ctx.deps, ctx.actor, input)),
  get: signedInProcedure()
    .input(z.object({ id: idSchema }))
    .output(fileSchema).query(({ ctx, input }) => getFile(ctx.deps, ctx.actor, input.id)),
  delete: signedInProcedure()
    .input(z.object({ id: idSchema }))
    .output(fileDeletedSchema).mutation(({ ctx, input }) => deleteFile(ctx.deps, ctx.actor, input.id)),
  /** Usage against the quota, e.g. for the header and `roster files list`. */
  usage: signedInProcedure()
    .input(z.object({ userId: idSchema.optional() }).default({}))
    .output(storageUsageSchema).query(({ ctx, input }) => getStorageUsage(ctx.deps, ctx.actor, input.userId)),
});
