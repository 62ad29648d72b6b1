import { createHmac, randomBytes } from 'node:crypto';

/** `whsec_` + base64 of 32 random bytes, as Standard Webhooks secrets look. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const key = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/** Standard Webhooks (receivers verify with @roster/client's verifyWebhook): `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with the secret's bytes. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}
