import { describe, expect, it } from 'vitest';
import { fieldDiff } from './field-diff.ts';
import { REDACTED, redactSecrets } from './redact.ts';

describe('audit details', () => {
  it('redacts secret-named values at any depth, keeping flags and counts', () => {
    expect(
      redactSecrets({
        password: 'hunter2',
        before: { passwordHash: '$argon2id$…', name: 'Ann' },
        after: { passwordHash: '$argon2id$…', name: 'Anna' },
        token: { value: 'x' },
        apiKey: 'rk_live',
        mustChangePassword: true,
        rows: [{ password_hash: '$2b$…' }],
        passwordHashes: 3,
      }),
    ).toEqual({
      password: REDACTED,
      before: { passwordHash: REDACTED, name: 'Ann' },
      after: { passwordHash: REDACTED, name: 'Anna' },
      token: REDACTED,
      apiKey: REDACTED,
      mustChangePassword: true,
      rows: [{ password_hash: REDACTED }],
      passwordHashes: 3,
    });
  });

  it('diffs only the fields that changed, dates as ISO strings', () => {
    const at = new Date('2027-01-01T00:00:00Z');
    expect(fieldDiff({ a: 1, b: 'x', c: at, d: null }, { a: 1, b: 'y', c: at, d: 'set' }, ['a', 'b', 'c', 'd'])).toEqual({
      before: { b: 'x', d: null },
      after: { b: 'y', d: 'set' },
    });
    expect(fieldDiff({ a: 1 }, { a: 1 }, ['a'])).toBeNull();
  });
});
