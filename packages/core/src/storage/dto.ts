import { z } from 'zod';
import { isoDateSchema } from '../output.ts';

/** A stored file as clients see it; the absolute path never leaves the server. */
export const fileSchema = z.object({
  id: z.string(),
  ownerId: z.string(),
  name: z.string(),
  size: z.number(),
  sha1: z.string(),
  mimeType: z.string(),
  /** Relative to the data dir: `upload/{label or userId}/{yyyy}/{mm}/{id}-{safe name}`. */
  path: z.string(),
  createdAt: isoDateSchema,
});
export type FileDto = z.infer<typeof fileSchema>;

export interface FileRow {
  id: string;
  owner_id: string;
  path: string;
  size: string | number;
  sha1: string;
  mime_type: string;
  original_name: string;
  created_at: Date | string;
}

export function toFileDto(f: FileRow): FileDto {
  return {
    id: f.id,
    ownerId: f.owner_id,
    name: f.original_name,
    size: Number(f.size),
    sha1: f.sha1,
    mimeType: f.mime_type,
    path: f.path,
    createdAt: new Date(f.created_at).toISOString(),
  };
}
