import { ImportFileError } from './csv-source.ts';

/** The columns an import reads: Open WebUI's `Name,Email,Password,Role` plus Roster's optional ones; others are ignored. */
export const IMPORT_COLUMNS = ['name', 'email', 'password', 'role', 'password_hash', 'quota_gib', 'quota_bytes', 'storage_label', 'groups', 'status'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export type Columns = Partial<Record<ImportColumn, number>>;

const REQUIRED: ImportColumn[] = ['name', 'email', 'role'];

/**
 * Maps the header (case-insensitive; spaces or dashes read as `_`) to column
 * positions. A file without any password column (an export) imports
 * accounts that sign in after a reset link.
 */
export function readHeader(header: string[]): Columns {
  const columns: Columns = {};
  header.forEach((raw, i) => {
    const key = unguard(raw).trim().toLowerCase().replace(/[\s-]+/g, '_') as ImportColumn;
    if ((IMPORT_COLUMNS as readonly string[]).includes(key) && columns[key] === undefined) columns[key] = i;
  });
  const missing = REQUIRED.filter((c) => columns[c] === undefined);
  if (missing.length)
    throw new ImportFileError(
      'MISSING_COLUMNS',
      `row 1: the header lacks ${missing.map(title).join(', ')} (expected at least Name,Email,Password,Role)`,
      1,
    );
  return columns;
}

const title = (c: string) => c.charAt(0).toUpperCase() + c.slice(1);

/** Undoes the formula guard of an export: `'=…`, `'+…`, `'-…`, `'@…` (and tab, CR) lose the leading quote. */
export const unguard = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** One record as named cells (guard undone); absent columns read as empty. */
export function cellsOf(record: string[], columns: Columns): Record<ImportColumn, string> {
  const out = {} as Record<ImportColumn, string>;
  for (const c of IMPORT_COLUMNS) out[c] = columns[c] === undefined ? '' : unguard(record[columns[c]!] ?? '');
  return out;
}
