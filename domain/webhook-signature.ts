import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The Standard Webhooks scheme (standardwebhooks.com), so receivers can verify with its
// libraries: HMAC-SHA256 over `<id>.<timestamp>.<body>`, keyed by the secret's bytes.

const PREFIX = 'whsec_';
/** Receivers should reject older timestamps, against replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): SignedHeaders {
  const signature = createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

/** What a receiver does: true when one of the signatures matches and the timestamp is recent. */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, nowSeconds = Date.now() / 1000): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = Number(headers['webhook-timestamp']);
  if (!id || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body)['webhook-signature'].slice(3), 'base64');
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((each) => each.startsWith('v1,'))
    .some((each) => {
      const given = Buffer.from(each.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
