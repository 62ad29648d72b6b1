import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { escapeLike, gibToBytes, mapUniqueViolation, normaliseStorageLabel, quotaGiBSchema } from './fields.ts';

const GIB = 1024 ** 3;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : err;
  }
  return 'ok';
};

describe('quotas in GiB', () => {
  it('stores whole and fractional GiB as bytes', () => {
    expect(gibToBytes(1)).toBe(GIB);
    expect(gibToBytes(0.5)).toBe(536_870_912);
    expect(gibToBytes(1.25)).toBe(1_342_177_280);
    expect(gibToBytes(1024)).toBe(1024 * GIB);
  });

  it('treats 0 and empty as unlimited (null)', () => {
    expect(gibToBytes(0)).toBeNull();
    expect(gibToBytes(null)).toBeNull();
    expect(gibToBytes(undefined)).toBeNull();
  });

  it('never rounds a tiny positive quota down to unlimited', () => {
    expect(gibToBytes(1e-12)).toBe(1);
  });

  it('accepts 0 to 1 PiB and null, refuses negatives and beyond', () => {
    expect(quotaGiBSchema.safeParse(0).success).toBe(true);
    expect(quotaGiBSchema.safeParse(0.5).success).toBe(true);
    expect(quotaGiBSchema.safeParse(null).success).toBe(true);
    expect(quotaGiBSchema.safeParse(1024 * 1024).success).toBe(true);
    expect(quotaGiBSchema.safeParse(-1).success).toBe(false);
    expect(quotaGiBSchema.safeParse(1024 * 1024 + 1).success).toBe(false);
    expect(quotaGiBSchema.safeParse('5').success).toBe(false);
  });
});

describe('normaliseStorageLabel', () => {
  it('lower-cases and keeps only a-z 0-9 . _ -', () => {
    expect(normaliseStorageLabel('Shared')).toBe('shared');
    expect(normaliseStorageLabel('  Team A/B_2024.v-1 ')).toBe('teamab_2024.v-1');
    expect(normaliseStorageLabel('José')).toBe('jos');
  });

  it('makes empty and all-invalid input clear the label', () => {
    expect(normaliseStorageLabel(null)).toBeNull();
    expect(normaliseStorageLabel(undefined)).toBeNull();
    expect(normaliseStorageLabel('')).toBeNull();
    expect(normaliseStorageLabel('   ')).toBeNull();
    expect(normaliseStorageLabel('/// ')).toBeNull();
  });

  it('refuses labels of only dots (path tricks) and labels over 64 characters', () => {
    expect(codeOf(() => normaliseStorageLabel('.'))).toBe('VALIDATION');
    expect(codeOf(() => normaliseStorageLabel('..'))).toBe('VALIDATION');
    expect(codeOf(() => normaliseStorageLabel('../..'))).toBe('VALIDATION');
    expect(codeOf(() => normaliseStorageLabel('a'.repeat(65)))).toBe('VALIDATION');
    expect(normaliseStorageLabel('a'.repeat(64))).toBe('a'.repeat(64));
    expect(normaliseStorageLabel('..a')).toBe('..a');
  });

  it('names the field in the validation error', () => {
    try {
      normaliseStorageLabel('..');
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).fields).toEqual({ storageLabel: ['Use letters, digits, . _ - (not only dots)'] });
    }
  });
});

describe('escapeLike', () => {
  it('escapes LIKE wildcards and the escape character itself', () => {
    expect(escapeLike('50%')).toBe('50\\%');
    expect(escapeLike('a_b')).toBe('a\\_b');
    expect(escapeLike('back\\slash')).toBe('back\\\\slash');
    expect(escapeLike('%_\\')).toBe('\\%\\_\\\\');
    expect(escapeLike('plain text')).toBe('plain text');
  });
});

describe('mapUniqueViolation', () => {
  it('turns the email and storage-label index violations into domain errors and rethrows anything else', () => {
    expect(codeOf(() => mapUniqueViolation(new Error('duplicate key value violates unique constraint "users_email_lower_key"')))).toBe(
      'EMAIL_TAKEN',
    );
    expect(codeOf(() => mapUniqueViolation(new Error('... "users_storage_label_key"')))).toBe('STORAGE_LABEL_TAKEN');
    const other = new Error('duplicate key value violates unique constraint "users_single_owner"');
    expect(codeOf(() => mapUniqueViolation(other))).toBe(other);
  });
});
