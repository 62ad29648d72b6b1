import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * A user's stored file. `path` is relative to ROSTER_DATA_DIR
 * (`upload/{storageLabel or userId}/{yyyy}/{mm}/{id}-{safe name}`); the owner
 * cannot be deleted while files remain (the purge removes them first).
 */
export const UserFile = defineEntity({
  name: 'UserFile',
  tableName: 'files',
  properties: {
    id: p.uuid().primary(),
    owner: () => p.manyToOne(User).deleteRule('restrict'),
    path: p.string().unique(),
    size: p.bigint('number'),
    sha1: p.string(),
    mimeType: p.string(),
    originalName: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UserFile = InferEntity<typeof UserFile>;

/**
 * An upload in flight: the bytes it holds against the owner's quota and where
 * its file will land. Committed before the body is read, so parallel uploads
 * see each other's reservations; a crashed upload leaves a stale row that the
 * usage recalculation releases.
 */
export const FileUpload = defineEntity({
  name: 'FileUpload',
  tableName: 'file_uploads',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    path: p.string(),
    bytes: p.bigint('number'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type FileUpload = InferEntity<typeof FileUpload>;
