import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { feedWindow, isWellFormedFeedToken, toFeedView } from './calendar-feed.ts';

describe('calendar feed rules', () => {
  it('shows from the start of the UTC day 7 days back to the end of the 90th day ahead, the same all day', () => {
    const expected = { from: new Date('2026-02-23T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') };
    for (const now of ['2026-03-02T00:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T23:59:59.999Z']) assert.deepEqual(feedWindow(new Date(now)), expected, now);
    assert.deepEqual(feedWindow(new Date('2026-03-03T00:00:00Z')).from, new Date('2026-02-24T00:00:00Z'));
  });

  it('knows a token by its shape before asking the database', () => {
    assert.equal(isWellFormedFeedToken(`vcf_${'a1'.repeat(20)}`), true);
    for (const bad of ['', 'vcf_', `vcf_${'a'.repeat(39)}`, `vcf_${'a'.repeat(41)}`, `vgl_${'a'.repeat(40)}`, `vcf_${'A'.repeat(40)}`, `vcf_${'a'.repeat(39)}/`]) {
      assert.equal(isWellFormedFeedToken(bad), false, bad);
    }
  });

  it('shows a token only as its first characters', () => {
    const row = { id: 'f', user_id: 'u', schedule_id: null, token_prefix: 'vcf_ab12cd34', created_at: new Date('2026-03-02T09:00:00Z') };
    assert.deepEqual(toFeedView(row, null), { id: 'f', kind: 'user', schedule: null, userId: 'u', tokenPreview: 'vcf_ab12cd34…', createdAt: row.created_at });
    assert.deepEqual(toFeedView({ ...row, schedule_id: 's' }, 'Payments').schedule, { id: 's', name: 'Payments' });
  });
});
