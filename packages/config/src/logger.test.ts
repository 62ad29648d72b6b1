import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes one JSON line per event with level, name and time', () => {
    const { lines, destination } = capture();
    createLogger('web', { level: 'info', destination }).info({ reqId: 'r1', status: 200 }, 'request');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', name: 'web', reqId: 'r1', status: 200, msg: 'request' });
    expect(Date.parse(line.time)).toBeGreaterThan(0);
  });

  it('redacts cookies, authorization, passwords, secrets, tokens and API keys at any depth', () => {
    const { lines, destination } = capture();
    const secrets = ['s3ss10n-c00kie', 'Bearer b34rer', 'hunter2-pass', 'n3w-pass', 'wh-s3cret', 'r3set-t0ken', 'rst_k3y', 'c0de'];
    createLogger('web', { level: 'info', destination }).info(
      {
        headers: { cookie: secrets[0], Authorization: secrets[1] },
        body: { password: secrets[2], newPassword: secrets[3], items: [{ webhookSecret: secrets[4] }] },
        resetToken: secrets[5],
        apiKey: secrets[6],
        code: secrets[7],
        email: 'kept@example.com',
      },
      'event',
    );
    for (const s of secrets) expect(lines[0]).not.toContain(s);
    expect(lines[0]).toContain('kept@example.com');
    expect(JSON.parse(lines[0]!).body.password).toBe('[redacted]');
  });

  it('follows the level: debug is dropped at info, everything at silent', () => {
    const { lines, destination } = capture();
    createLogger('w', { level: 'info', destination }).debug('hidden');
    createLogger('w', { level: 'silent', destination }).error('hidden too');
    expect(lines).toEqual([]);
  });
});
