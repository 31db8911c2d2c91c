import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { periodStarts } from './notices.ts';

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;
const ms = (hhmm: string) => Date.parse(at(hhmm));

describe('on-call periods that start in a window', () => {
  const cases: [string, { userId: string; start: string; end: string }[], string, string, { userId: string; start: string; end: string }[]][] = [
    ['a shift starting in the window', [{ userId: 'a', start: at('09:00'), end: at('17:00') }], '09:00', '09:05', [{ userId: 'a', start: at('09:00'), end: at('17:00') }]],
    ['one starting just after the window', [{ userId: 'a', start: at('09:05'), end: at('17:00') }], '09:00', '09:05', []],
    [
      'an override of the same person right after their shift is one period',
      [
        { userId: 'a', start: at('09:00'), end: at('12:00') },
        { userId: 'a', start: at('12:00'), end: at('18:00') },
      ],
      '09:00',
      '09:05',
      [{ userId: 'a', start: at('09:00'), end: at('18:00') }],
    ],
    [
      'a period already running is not a start, even where its next piece begins',
      [
        { userId: 'a', start: at('06:00'), end: at('12:00') },
        { userId: 'a', start: at('12:00'), end: at('18:00') },
      ],
      '12:00',
      '12:05',
      [],
    ],
    [
      'two people handing over at the same instant',
      [
        { userId: 'a', start: at('01:00'), end: at('09:00') },
        { userId: 'b', start: at('09:00'), end: at('17:00') },
      ],
      '09:00',
      '09:05',
      [{ userId: 'b', start: at('09:00'), end: at('17:00') }],
    ],
  ];
  for (const [name, shifts, from, to, expected] of cases) {
    it(name, () => {
      const got = periodStarts(shifts, ms('00:00'), ms(from), ms(to)).map((p) => ({ userId: p.userId, start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString() }));
      assert.deepEqual(got, expected);
    });
  }
  it('does not count a period clipped by the start of the range it was read over', () => {
    assert.deepEqual(periodStarts([{ userId: 'a', start: at('00:00'), end: at('10:00') }], ms('00:00'), ms('00:00'), ms('00:05')), []);
  });
});
