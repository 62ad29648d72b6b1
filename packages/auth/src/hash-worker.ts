import { parentPort } from 'node:worker_threads';
import { Argon2id } from 'oslo/password';

/** One thread of the hash pool (hash-pool.ts): hashes the passwords it is sent, one batch at a time. */
const argon2id = new Argon2id();
parentPort!.on('message', async ({ id, passwords }: { id: number; passwords: string[] }) => {
  try {
    const hashes: string[] = [];
    for (const p of passwords) hashes.push(await argon2id.hash(p));
    parentPort!.postMessage({ id, hashes });
  } catch (err) {
    parentPort!.postMessage({ id, error: String((err as Error)?.message ?? err) });
  }
});
