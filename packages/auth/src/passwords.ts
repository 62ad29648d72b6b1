import { Argon2id } from 'oslo/password';

const argon2id = new Argon2id();

export function hashPassword(password: string): Promise<string> {
  return argon2id.hash(password);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2id.verify(hash, password);
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real verification, so an unknown email cannot be
 * told from a wrong password by timing.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= argon2id.hash('roster-timing-equaliser');
  await argon2id.verify(await dummyHash, password);
}
