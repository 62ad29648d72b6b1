import bcrypt from 'bcryptjs';
import { Argon2id } from 'oslo/password';

const argon2id = new Argon2id();
/** The parameters of the hashes Roster writes (oslo's defaults); other hashes are re-hashed at sign-in. */
const CURRENT_PARAMS = '$argon2id$v=19$m=19456,t=2,p=1$';

export function hashPassword(password: string): Promise<string> {
  return argon2id.hash(password);
}

const BCRYPT = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^\$argon2(id|i|d)\$v=(16|19)\$m=\d{1,7},t=\d{1,4},p=\d{1,3}\$[A-Za-z0-9+/]{8,}\$[A-Za-z0-9+/]{16,}$/;

/**
 * The hashes an import may bring (bcrypt as Immich, Open WebUI and n8n store
 * them; Argon2 PHC strings): their users sign in with the old password.
 */
export function isImportablePasswordHash(hash: string): boolean {
  return BCRYPT.test(hash) || ARGON2.test(hash);
}

/** True when a verified hash is not Roster's current Argon2id: sign-in replaces it. */
export function needsRehash(hash: string): boolean {
  return !hash.startsWith(CURRENT_PARAMS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (BCRYPT.test(hash)) return bcrypt.compare(password, hash);
  // @node-rs/argon2 reads the variant and parameters from the PHC string itself.
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
