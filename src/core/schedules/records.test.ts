import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLayers, checkRange, coversRange, layersInForce } from './records.ts';
import type { Layer } from './schedule.ts';
import { finalSchedule } from './schedule-math.ts';

const layer: Layer = {
  id: 'p',
  name: 'Primary',
  participants: ['a', 'b'],
  rotation: { unit: 'day', length: 1 },
  handoff: { date: '2026-03-02', time: '09:00' },
  start: '2026-03-01T00:00:00Z',
};
const T = new Date('2026-03-02T12:00:00Z');

describe('stored layer definitions', () => {
  it('clips each definition to the time it was in force and drops what falls outside', () => {
    const layers = layersInForce([
      { layers: [layer, { ...layer, id: 'late', start: '2026-03-05T00:00:00Z' }], from: null, to: T },
      { layers: [{ ...layer, participants: ['c'], start: T.toISOString() }], from: T, to: null },
    ]);
    assert.deepEqual(
      layers.map((l) => [l.id, l.start, l.end]),
      [
        ['p', '2026-03-01T00:00:00.000Z', '2026-03-02T12:00:00.000Z'],
        ['p', '2026-03-02T12:00:00.000Z', undefined],
      ],
    );
  });

  it('keeps one shift across an edit that leaves the same person on call in the same layer', () => {
    const layers = layersInForce([
      { layers: [layer], from: null, to: T },
      { layers: [{ ...layer, name: 'Renamed', start: T.toISOString() }], from: T, to: null },
    ]);
    const { shifts } = finalSchedule({ timeZone: 'UTC', layers }, new Date('2026-03-02T09:00:00Z'), new Date('2026-03-03T09:00:00Z'));
    assert.deepEqual(shifts, [{ userId: 'a', start: '2026-03-02T09:00:00.000Z', end: '2026-03-03T09:00:00.000Z', source: { type: 'layer', layerId: 'p' } }]);
  });

  it('names layer problems by their path and caps ranges at 366 days', () => {
    assert.deepEqual(
      checkLayers('UTC', [{ ...layer, participants: ['a', ''] }]).map((p) => p.field),
      ['layers.0.participants.1'],
    );
    assert.deepEqual(checkRange('2026-01-01T00:00:00Z', '2027-01-02T00:00:00Z'), { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-02T00:00:00Z') });
    assert.deepEqual(
      (checkRange('2026-01-01T00:00:00Z', '2027-01-02T00:00:01Z') as { field: string }[]).map((p) => p.field),
      ['query.to'],
    );
  });

  it('tells whether one person covers a whole range', () => {
    const shifts = [
      { userId: 'a', start: '2026-03-02T00:00:00Z', end: '2026-03-02T06:00:00Z' },
      { userId: 'a', start: '2026-03-02T06:00:00Z', end: '2026-03-02T12:00:00Z' },
      { userId: 'b', start: '2026-03-02T12:00:00Z', end: '2026-03-02T18:00:00Z' },
    ];
    assert.equal(coversRange(shifts, 'a', new Date('2026-03-02T01:00:00Z'), new Date('2026-03-02T12:00:00Z')), true);
    assert.equal(coversRange(shifts, 'a', new Date('2026-03-02T01:00:00Z'), new Date('2026-03-02T12:00:01Z')), false);
    assert.equal(coversRange(shifts, 'b', new Date('2026-03-02T11:00:00Z'), new Date('2026-03-02T13:00:00Z')), false);
  });
});
