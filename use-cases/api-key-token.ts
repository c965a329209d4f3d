import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'vk_';
const SHOWN_PREFIX_LENGTH = 10;

/** A new API key: 32 random bytes, base64url, behind a recognisable prefix. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), hash: hashApiKey(key) };
}

/** Keys are random and long, so a plain SHA-256 is enough: nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(KEY_PREFIX) && value.length > KEY_PREFIX.length + 20 && value.length < 200;
}
