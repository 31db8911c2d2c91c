import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of [a-z0-9] from the CSPRNG, without modulo bias. */
export function randomString(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252) out += ALPHABET[byte % 36]; // 252 = 7 * 36: bytes above would favour early letters
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * SHA-256 of a high-entropy secret (API token, session token). A slow hash is only needed for
 * guessable secrets like passwords; a 190-bit random token cannot be brute-forced from its digest.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
