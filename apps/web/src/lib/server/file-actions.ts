import { fail, type RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { callFailure } from './errors.ts';
import { formatBytes } from '../format.ts';

export const FILES_PAGE_SIZE = 25;

/** `?page=` as a positive integer, 1 when missing or nonsense. */
export function pageParam(url: URL): number {
  const n = Number(url.searchParams.get('page'));
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * The `delete` form action of /files and /admin/files. The dialog posts
 * `confirm=yes`; a post without it (no JavaScript) gets the file back to
 * confirm on the page instead of deleting straight away.
 */
export async function deleteFileAction(event: RequestEvent) {
  const form = await event.request.formData();
  const id = String(form.get('id') ?? '');
  const c = api(event);
  try {
    if (form.get('confirm') !== 'yes') {
      const file = await c.files.get({ id });
      return { confirmDelete: { id: file.id, name: file.name } };
    }
    const { freedBytes } = await c.files.delete({ id });
    return { toast: { message: `File deleted, ${formatBytes(freedBytes)} freed`, tone: 'success' as const } };
  } catch (err) {
    const f = callFailure(err, event, 'files.delete');
    return fail(400, { toast: { message: f.message, tone: 'error' as const } });
  }
}
