import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a one-click link does. */
export type LinkAction = 'acknowledge' | 'resolve';
export const LINK_ACTIONS: readonly LinkAction[] = ['acknowledge', 'resolve'];

/** What a signed link says: who was paged, for which incident, through which page, until when. */
export interface LinkClaims {
  incidentId: string;
  action: LinkAction;
  /** The person the page went to: the link acts as them. */
  userId: string;
  notificationId: string;
  /** Whole seconds: the payload stores seconds since the epoch. */
  expiresAt: Date;
}

/** Why a token was refused. `expired` and `wrong-action` come only after the signature checked out. */
export type LinkRefusal = 'malformed' | 'bad-signature' | 'wrong-action' | 'expired';

export type LinkVerdict = { ok: true; claims: LinkClaims } | { ok: false; reason: LinkRefusal; claims?: LinkClaims };

/** Longer than any token we sign (116 characters): anything longer is refused before any work. */
export const MAX_TOKEN_LENGTH = 256;

const VERSION = 1;
// version (1) + action (1) + incident, user, notification uuids (3 × 16) + expiry seconds (4, unsigned).
const PAYLOAD_BYTES = 1 + 1 + 48 + 4;
const MAC_BYTES = 32;
const ACTION_CODE: Record<LinkAction, number> = { acknowledge: 1, resolve: 2 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const uuidBytes = (id: string): Buffer => {
  if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return Buffer.from(id.replace(/-/g, ''), 'hex');
};
const uuidOf = (b: Buffer): string => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const mac = (secret: Buffer, payload: Buffer): Buffer => createHmac('sha256', secret).update(payload).digest();

/**
 * `<base64url payload>.<base64url HMAC-SHA256 of the payload>`. The payload is binary rather than
 * JSON so a link stays short enough for SMS and chat: 116 characters in all.
 */
export function signLink(secret: Buffer, claims: LinkClaims): string {
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new Error('expiry out of range');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  payload[1] = ACTION_CODE[claims.action];
  uuidBytes(claims.incidentId).copy(payload, 2);
  uuidBytes(claims.userId).copy(payload, 18);
  uuidBytes(claims.notificationId).copy(payload, 34);
  payload.writeUInt32BE(seconds, 50);
  return `${payload.toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * Checks a token at `now`: its shape, then its MAC in constant time, and only then what it claims
 * (an unsigned payload is never interpreted). Expired at `expiresAt` exactly.
 */
export function verifyLink(secret: Buffer, token: string, now: Date, expected?: LinkAction): LinkVerdict {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts.every((p) => BASE64URL.test(p))) return { ok: false, reason: 'malformed' };
  const payload = Buffer.from(parts[0]!, 'base64url');
  const given = Buffer.from(parts[1]!, 'base64url');
  // Re-encoding must give the same text: otherwise two spellings of one token would both verify.
  if (payload.length !== PAYLOAD_BYTES || given.length !== MAC_BYTES || payload.toString('base64url') !== parts[0] || given.toString('base64url') !== parts[1]) {
    return { ok: false, reason: 'malformed' };
  }
  if (!timingSafeEqual(mac(secret, payload), given)) return { ok: false, reason: 'bad-signature' };
  const action = LINK_ACTIONS.find((a) => ACTION_CODE[a] === payload[1]);
  if (payload[0] !== VERSION || !action) return { ok: false, reason: 'malformed' };
  const claims: LinkClaims = {
    incidentId: uuidOf(payload.subarray(2, 18)),
    action,
    userId: uuidOf(payload.subarray(18, 34)),
    notificationId: uuidOf(payload.subarray(34, 50)),
    expiresAt: new Date(payload.readUInt32BE(50) * 1000),
  };
  if (expected && expected !== action) return { ok: false, reason: 'wrong-action', claims };
  if (now.getTime() >= claims.expiresAt.getTime()) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}
