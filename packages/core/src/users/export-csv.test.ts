import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './export-csv.ts';
import { exportFileName } from './export-users.ts';

describe('csvCell (RFC 4180 and the formula guard)', () => {
  it('quotes fields holding a comma, quote, CR or LF and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });

  it('neutralises cells a spreadsheet would run: = + - @ tab CR get a leading quote', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a=b')).toBe('a=b');
    // Numbers we write ourselves stay numbers.
    expect(csvCell(-5)).toBe('-5');
  });

  it('names the file roster-users-YYYYMMDD-HHmmss.csv in UTC', () => {
    expect(exportFileName(new Date('2026-03-04T05:06:07.890Z'))).toBe('roster-users-20260304-050607.csv');
  });
});
