/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote,
 * CR or LF quoted, quotes doubled), with cells a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR: OWASP's list) prefixed by `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value == null) return '';
  let s = String(value);
  // Numbers are written by us and safe; a negative number stays a number.
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvLine = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;
