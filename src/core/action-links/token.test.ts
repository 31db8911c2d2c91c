import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LinkClaims, MAX_TOKEN_LENGTH, signLink, verifyLink } from './token.ts';

const secret = randomBytes(32);
const claims: LinkClaims = {
  incidentId: '0b6f0c1e-8a53-4b0e-a3f5-5f0f5b1d2c4a',
  action: 'acknowledge',
  userId: '9d1c6c1e-1111-4b0e-a3f5-5f0f5b1d2c4b',
  notificationId: 'a1b2c3d4-2222-4b0e-a3f5-5f0f5b1d2c4c',
  expiresAt: new Date('2026-03-03T10:00:00Z'),
};
const before = new Date('2026-03-03T09:59:59Z');

const arbClaims = fc.record({
  incidentId: fc.uuid(),
  action: fc.constantFrom('acknowledge' as const, 'resolve' as const),
  userId: fc.uuid(),
  notificationId: fc.uuid(),
  expiresAt: fc.integer({ min: 1, max: 0xffffffff }).map((s) => new Date(s * 1000)),
});

describe('action link tokens', () => {
  it('verifies what it signed and gives back every claim', () => {
    const token = signLink(secret, claims);
    assert.match(token, /^[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(verifyLink(secret, token, before, 'acknowledge'), { ok: true, claims });
    assert.deepEqual(verifyLink(secret, token, before), { ok: true, claims });
  });

  it('round-trips any claims before their expiry, and refuses them from the expiry on', () => {
    fc.assert(
      fc.property(arbClaims, (c) => {
        const token = signLink(secret, c);
        assert.ok(token.length <= MAX_TOKEN_LENGTH);
        const ok = verifyLink(secret, token, new Date(c.expiresAt.getTime() - 1));
        assert.deepEqual(ok, { ok: true, claims: { ...c, incidentId: c.incidentId.toLowerCase(), userId: c.userId.toLowerCase(), notificationId: c.notificationId.toLowerCase() } });
        assert.equal(verifyLink(secret, token, c.expiresAt).ok, false);
      }),
    );
  });

  it('refuses an expired link as expired, with the claims so the page can point at the incident', () => {
    const token = signLink(secret, claims);
    const verdict = verifyLink(secret, token, claims.expiresAt, 'acknowledge');
    assert.deepEqual(verdict, { ok: false, reason: 'expired', claims });
  });

  it('refuses a link for another action as wrong-action', () => {
    const token = signLink(secret, { ...claims, action: 'resolve' });
    assert.equal(verifyLink(secret, token, before, 'acknowledge').ok, false);
    assert.equal((verifyLink(secret, token, before, 'acknowledge') as { reason: string }).reason, 'wrong-action');
  });

  it('refuses any change to a signed token (one character anywhere) as malformed or bad-signature', () => {
    const token = signLink(secret, claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(token[i] !== '.' && token[i] !== ch);
        const tampered = token.slice(0, i) + ch + token.slice(i + 1);
        const verdict = verifyLink(secret, tampered, before);
        assert.equal(verdict.ok, false);
        assert.ok(!verdict.ok && (verdict.reason === 'bad-signature' || verdict.reason === 'malformed'), JSON.stringify(verdict));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a payload re-signed for another action or person without the secret', () => {
    const [, mac] = signLink(secret, claims).split('.');
    const [otherPayload] = signLink(secret, { ...claims, action: 'resolve', expiresAt: new Date('2030-01-01T00:00:00Z') }).split('.');
    assert.deepEqual(verifyLink(secret, `${otherPayload}.${mac}`, before), { ok: false, reason: 'bad-signature' });
    assert.deepEqual(verifyLink(randomBytes(32), signLink(secret, claims), before), { ok: false, reason: 'bad-signature' });
  });

  it('refuses garbage and oversized tokens as malformed without reading them', () => {
    for (const t of ['', '.', 'abc', 'a.b.c', 'ab$.cd', `${'A'.repeat(72)}.`, `${'A'.repeat(72)}.${'A'.repeat(44)}`, 'x'.repeat(MAX_TOKEN_LENGTH + 1)]) {
      assert.deepEqual(verifyLink(secret, t, before), { ok: false, reason: 'malformed' }, t);
    }
  });
});
