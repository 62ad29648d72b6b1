import { describe, expect, it } from 'vitest';
import { closeHashPool, hashPasswords, isImportablePasswordHash, needsRehash, verifyPassword } from '../src/index.ts';

// The acceptance hash (bcrypt test vector, password `U*U`) in each bcrypt prefix: bcryptjs reads them alike.
const BCRYPT = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const ARGON2I = '$argon2i$v=19$m=4096,t=3,p=1$PGCEq7UH1loWfKVIF+SntA$ZU9CFLHMc42PY/M3Vm+ZCg2FYPZS1N11Ne96fG5lPIo';

describe('imported password hashes', () => {
  it('accepts bcrypt $2a$/$2b$/$2y$ and Argon2 PHC strings, and nothing malformed', () => {
    for (const h of [BCRYPT, BCRYPT.replace('$2a$', '$2b$'), BCRYPT.replace('$2a$', '$2y$'), ARGON2I]) expect(isImportablePasswordHash(h), h).toBe(true);
    for (const h of ['', 'plain', '$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', BCRYPT.slice(0, -1), '$2a$99$' + BCRYPT.slice(7), '$argon2id$v=19$m=x,t=1,p=1$abc$def', '$scrypt$ln=16$abc'])
      expect(isImportablePasswordHash(h), h).toBe(false);
  });

  it('verifies bcrypt and Argon2i with the old password; only Roster argon2id needs no re-hash', async () => {
    expect(await verifyPassword(BCRYPT, 'U*U')).toBe(true);
    expect(await verifyPassword(BCRYPT.replace('$2a$', '$2y$'), 'U*U')).toBe(true);
    expect(await verifyPassword(BCRYPT, 'U*V')).toBe(false);
    expect(await verifyPassword(ARGON2I, 'argon-old-pass')).toBe(true);
    expect(await verifyPassword(ARGON2I, 'argon-old-pas')).toBe(false);
    expect(needsRehash(BCRYPT)).toBe(true);
    expect(needsRehash(ARGON2I)).toBe(true);
  });

  it('the pool hashes in order, with Roster parameters', async () => {
    const pw = ['first-password', 'second-password', 'third-password'];
    const hashes = await hashPasswords(pw);
    expect(hashes).toHaveLength(3);
    for (const [i, h] of hashes.entries()) {
      expect(needsRehash(h)).toBe(false);
      expect(await verifyPassword(h, pw[i]!)).toBe(true);
    }
    await closeHashPool();
  });
});
