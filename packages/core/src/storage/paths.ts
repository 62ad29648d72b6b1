import path from 'node:path';
import { AppError } from '../errors.ts';

export const UPLOAD_ROOT = 'upload';
const MAX_NAME = 255;
// Direction overrides can make `exe.txt` display as `txt.exe`.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/u;

const invalid = (message: string): never => {
  throw new AppError('VALIDATION', message, { name: [message] });
};

/**
 * The name a file was uploaded under, as stored and shown. It is a name,
 * never a path: separators (also after Unicode compatibility folding, e.g.
 * fullwidth `／`), `.`/`..`, NUL and control characters are refused.
 */
export function validateFileName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (name === '') invalid('Give the file a name');
  if (name.length > MAX_NAME) invalid(`File names are at most ${MAX_NAME} characters`);
  if (/\p{Cc}/u.test(name)) invalid('File names cannot contain NUL or control characters');
  if (BIDI_CONTROLS.test(name)) invalid('File names cannot contain text direction controls');
  if (/[/\\]/.test(name.normalize('NFKC'))) invalid('A file name cannot contain / or \\ (send the name, not a path)');
  if (/^\.+$/.test(name)) invalid('A file name cannot be only dots');
  return name;
}

/** The on-disk part of the name: ASCII letters, digits, `._-` only, extension kept, bounded length. */
export function safeDiskName(name: string): string {
  const folded = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  let safe = folded.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').replace(/_+/g, '_');
  if (safe.length > 100) {
    const ext = path.extname(safe).slice(0, 16);
    safe = safe.slice(0, 100 - ext.length) + ext;
  }
  return safe || 'file';
}

/** `upload/{storageLabel or userId}`: labels are normalised to `[a-z0-9._-]` by users/fields.ts. */
export function userFolder(user: { id: string; storageLabel?: string | null }): string {
  const folder = user.storageLabel || user.id;
  if (!/^[a-z0-9._-]+$/.test(folder) || /^\.+$/.test(folder)) throw new AppError('VALIDATION', 'Storage folder is not valid');
  return `${UPLOAD_ROOT}/${folder}`;
}

/** `upload/{folder}/{yyyy}/{mm}/{id}-{safe name}`, relative to the data dir. */
export function newFilePath(folder: string, id: string, name: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${folder}/${yyyy}/${mm}/${id}-${safeDiskName(name)}`;
}

/** The same file under another user folder (label change, transfer): only the folder segment changes. */
export function movedFilePath(relPath: string, folder: string): string {
  const parts = relPath.split('/');
  if (parts.length < 3 || parts[0] !== UPLOAD_ROOT) throw new Error(`Unexpected file path ${relPath}`);
  return [folder, ...parts.slice(2)].join('/');
}

export const folderOf = (relPath: string) => relPath.split('/').slice(0, 2).join('/');

/** The absolute path of a user folder (`upload/{label or id}`), checked like any stored path. */
export function absoluteFolder(dataDir: string, folder: string): string {
  const [root, name, ...rest] = folder.split('/');
  if (root !== UPLOAD_ROOT || rest.length || !name || !/^[a-z0-9._-]+$/.test(name) || /^\.+$/.test(name))
    throw new AppError('VALIDATION', 'Storage folder is not valid');
  return path.join(path.resolve(dataDir), UPLOAD_ROOT, name);
}

/**
 * The absolute path of a stored file. Last line of defence: whatever a row
 * says, the result stays inside `dataDir/upload/<one folder>/`.
 */
export function absolutePath(dataDir: string, relPath: string): string {
  const root = path.resolve(dataDir, UPLOAD_ROOT);
  const abs = path.resolve(dataDir, relPath);
  const rel = path.relative(root, abs);
  if (relPath.includes('\0') || rel.startsWith('..') || path.isAbsolute(rel) || !rel.includes(path.sep))
    throw new AppError('VALIDATION', 'File path escapes the upload folder');
  return abs;
}

/** Partial uploads live outside `upload/` (a label may be any `[a-z0-9._-]` name), on the same filesystem so the final rename is atomic. */
export const tempUploadPath = (dataDir: string, id: string) => path.join(dataDir, 'tmp', 'uploads', `${id}.part`);
