import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

/** A file the import cannot read as CSV: the whole import stops before writing anything, naming the row. */
export class ImportFileError extends Error {
  readonly code: 'NOT_UTF8' | 'CSV_MALFORMED' | 'FIELD_TOO_LARGE' | 'MISSING_COLUMNS' | 'EMPTY_FILE';
  /** Spreadsheet numbering: the header is row 1. */
  readonly row: number | null;
  constructor(code: ImportFileError['code'], message: string, row: number | null) {
    super(message);
    this.name = 'ImportFileError';
    this.code = code;
    this.row = row;
  }
}

/** One record is at most this long: a 10 MB field is an error naming its row, never 10 MB held per field. */
export const MAX_RECORD_CHARS = 64 * 1024;

/**
 * Decodes UTF-8 strictly as the bytes stream past, counting lines, so a
 * file in Latin-1 or UTF-16 is refused with the line of its first bad byte
 * rather than imported as mojibake.
 */
function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  const push = (t: Transform, text: string) => {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
    if (text) t.push(text);
  };
  const bad = (chunk: Buffer) => {
    const at = line + countNewlines(chunk.subarray(0, firstInvalidByte(chunk)));
    return new ImportFileError('NOT_UTF8', `line ${at}: the file is not UTF-8 text (an invalid byte); save it as UTF-8 CSV`, at);
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, cb) {
      try {
        push(this, decoder.decode(chunk, { stream: true }));
        cb();
      } catch {
        cb(bad(chunk));
      }
    },
    flush(cb) {
      try {
        push(this, decoder.decode());
        cb();
      } catch {
        cb(bad(Buffer.alloc(0)));
      }
    },
  });
}

const countNewlines = (b: Buffer) => {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
};

/** Where a chunk stops being UTF-8 (roughly: lead and continuation bytes), to name the line of a bad byte. */
function firstInvalidByte(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (i + k < b.length && (b[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return b.length;
}

function describe(err: CsvError & { records?: number; lines?: number }): ImportFileError {
  // `records` counts the header too: the failing record is the next one, numbered from the header's row 1.
  const row = (err.records ?? 0) + 1;
  const where = `row ${row}${err.lines ? ` (line ${err.lines})` : ''}`;
  if (err.code === 'CSV_MAX_RECORD_SIZE') return new ImportFileError('FIELD_TOO_LARGE', `${where}: a record is longer than ${MAX_RECORD_CHARS / 1024} KiB`, row);
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return new ImportFileError('CSV_MALFORMED', `${where}: a quoted field is never closed`, row);
  return new ImportFileError('CSV_MALFORMED', `${where}: ${err.message.replace(/^Invalid \w+:\s*/, '')}`, row);
}

/** The records of a CSV file, header first, streamed (BOM, CRLF, quoted commas, quotes and newlines handled by csv-parse). */
export async function* csvRecords(file: string): AsyncGenerator<string[]> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
  const source = fs.createReadStream(file);
  const decoded = source.pipe(strictUtf8());
  decoded.on('error', (err) => parser.destroy(err));
  decoded.pipe(parser);
  try {
    for await (const record of parser) yield record as string[];
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    if ((err as CsvError)?.code?.startsWith('CSV_')) throw describe(err as CsvError);
    throw err;
  } finally {
    source.destroy();
  }
}
