import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charCount, cut, get, httpUrlOrNull, isHttpUrl, isObject, parseTimestamp, type TimestampSyntax } from './parse.ts';

const utc = (...parts: [number, number, number, number?, number?, number?, number?]) => {
  const date = new Date(0);
  date.setUTCFullYear(parts[0], parts[1] - 1, parts[2]);
  date.setUTCHours(parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0, parts[6] ?? 0);
  return date;
};

describe('parseTimestamp', () => {
  // [input, expected with iso8601 (the default), expected with rfc3339]; null = refused.
  const table: Array<[input: string, iso8601: Date | null, rfc3339: Date | null]> = [
    // both syntaxes
    ['2024-03-01T10:00:00Z', utc(2024, 3, 1, 10), utc(2024, 3, 1, 10)],
    ['2024-03-01t10:00:00z', utc(2024, 3, 1, 10), utc(2024, 3, 1, 10)],
    ['2024-03-01 10:00:00Z', utc(2024, 3, 1, 10), utc(2024, 3, 1, 10)],
    ['2026-11-20T09:12:30.517Z', utc(2026, 11, 20, 9, 12, 30, 517), utc(2026, 11, 20, 9, 12, 30, 517)],
    ['2024-03-01T10:00:00.123456789Z', utc(2024, 3, 1, 10, 0, 0, 123), utc(2024, 3, 1, 10, 0, 0, 123)], // Go's nanoseconds
    ['2024-03-01T10:00:00.5Z', utc(2024, 3, 1, 10, 0, 0, 500), utc(2024, 3, 1, 10, 0, 0, 500)],
    ['2024-03-01T12:30:00+02:30', utc(2024, 3, 1, 10), utc(2024, 3, 1, 10)],
    ['2024-03-01T05:00:00-05:00', utc(2024, 3, 1, 10), utc(2024, 3, 1, 10)],
    ['2024-02-29T00:00:00Z', utc(2024, 2, 29), utc(2024, 2, 29)],
    ['2000-02-29T00:00:00Z', utc(2000, 2, 29), utc(2000, 2, 29)],
    ['2016-12-31T23:59:60Z', utc(2017, 1, 1), utc(2017, 1, 1)], // a leap second
    ['0001-01-01T00:00:00Z', utc(1, 1, 1), utc(1, 1, 1)], // Go's zero time
    ['0099-12-31T23:59:59Z', utc(99, 12, 31, 23, 59, 59), utc(99, 12, 31, 23, 59, 59)], // not 1999
    // the ISO 8601 forms that RFC 3339 does not have
    ['2015-07-17T08:42:58.315+0000', utc(2015, 7, 17, 8, 42, 58, 315), null], // PagerDuty's own example
    ['2024-03-01T05:00:00-05', utc(2024, 3, 1, 10), null],
    ['2024-03-01T10:00:00', utc(2024, 3, 1, 10), null], // no offset: UTC
    ['2024-03-01T10:00', utc(2024, 3, 1, 10), null],
    ['2024-03-01 10:00Z', utc(2024, 3, 1, 10), null],
    ['2024-03-01T10:00:00,5Z', utc(2024, 3, 1, 10, 0, 0, 500), null],
    ['2024-02-29', utc(2024, 2, 29), null], // a date alone
    // refused by both
    ['', null, null],
    ['yesterday', null, null],
    ['20/11/2026 09:12', null, null],
    [' 2024-03-01T10:00:00Z', null, null], // taken exactly: callers trim
    ['2024-02-30T00:00:00Z', null, null],
    ['2023-02-29T00:00:00Z', null, null],
    ['1900-02-29T00:00:00Z', null, null],
    ['2024-04-31T00:00:00Z', null, null],
    ['2024-00-10T00:00:00Z', null, null],
    ['2024-13-01T00:00:00Z', null, null],
    ['2024-03-00T00:00:00Z', null, null],
    ['2024-03-01T24:00:00Z', null, null],
    ['2024-03-01T25:00:00Z', null, null],
    ['2024-03-01T10:60:00Z', null, null],
    ['2024-03-01T10:00:61Z', null, null],
    ['2024-03-01T10:00:00+24:00', null, null],
    ['2024-03-01T10:00:00+2400', null, null],
    ['2024-03-01T10:00:00+01:60', null, null],
    ['2024-03-01T10:00:00.Z', null, null],
    ['+275760-09-13T00:00:00.000Z', null, null], // six-digit years
    ['2024-W09-5', null, null], // week date
    ['2024-061', null, null], // ordinal date
    ['20240301T100000Z', null, null], // basic format
  ];
  for (const [input, iso8601, rfc3339] of table) {
    for (const [syntax, expected] of [['iso8601', iso8601], ['rfc3339', rfc3339]] as Array<[TimestampSyntax, Date | null]>) {
      it(`${syntax}: ${JSON.stringify(input)} → ${expected === null ? 'refused' : expected.toISOString()}`, () => {
        assert.deepEqual(parseTimestamp(input, syntax), expected);
      });
    }
  }

  it('defaults to iso8601', () => {
    assert.deepEqual(parseTimestamp('2024-02-29'), utc(2024, 2, 29));
  });
});

describe('cut', () => {
  const table: Array<[input: string, limit: number, ellipsis: string | undefined, expected: string]> = [
    ['abc', 3, undefined, 'abc'],
    ['abcd', 3, undefined, 'abc'],
    ['abc', 3, '…', 'abc'],
    ['abcd', 3, '…', 'ab…'],
    ['', 0, undefined, ''],
    ['😀😀😀', 3, undefined, '😀😀😀'], // 6 UTF-16 units, 3 characters
    ['😀😀😀😀', 3, undefined, '😀😀😀'], // never half an emoji
    ['😀😀😀😀', 3, '…', '😀😀…'],
  ];
  for (const [input, limit, ellipsis, expected] of table) {
    it(`cut(${JSON.stringify(input)}, ${limit}${ellipsis === undefined ? '' : `, ${JSON.stringify(ellipsis)}`}) is ${JSON.stringify(expected)}`, () => {
      assert.equal(cut(input, limit, ellipsis), expected);
    });
  }
});

describe('the other helpers', () => {
  it('isObject: plain objects only', () => {
    assert.deepEqual([{}, { a: 1 }, [], null, 'x', 1, undefined].map(isObject), [true, true, false, false, false, false, false]);
  });

  it('get: own properties only', () => {
    const obj = JSON.parse('{"a":1,"__proto__":{"b":2}}') as Record<string, unknown>;
    assert.equal(get(obj, 'a'), 1);
    assert.deepEqual(get(obj, '__proto__'), { b: 2 });
    assert.equal(get({}, 'toString'), undefined);
    assert.equal(get({}, 'constructor'), undefined);
  });

  it('charCount: code points, not UTF-16 units', () => {
    assert.deepEqual(['', 'abc', '😀', 'é', 'e\u0301'].map(charCount), [0, 3, 1, 1, 2]);
  });

  const urls: Array<[input: unknown, isHttp: boolean, isHttps: boolean, orNull: string | null]> = [
    ['https://example.com/x', true, true, 'https://example.com/x'],
    ['http://prometheus:9090/graph?g0.expr=up', true, false, 'http://prometheus:9090/graph?g0.expr=up'],
    ['  https://example.com  ', true, true, 'https://example.com'], // the URL parser ignores the spaces; httpUrlOrNull returns it trimmed
    ['HTTPS://EXAMPLE.COM', true, true, 'HTTPS://EXAMPLE.COM'], // kept as sent
    ['javascript:alert(1)', false, false, null],
    ['ftp://example.com', false, false, null],
    ['/relative/path', false, false, null],
    ['', false, false, null],
    ['   ', false, false, null],
    [42, false, false, null],
    [null, false, false, null],
  ];
  for (const [input, isHttp, isHttps, orNull] of urls) {
    it(`URLs: ${JSON.stringify(input)}`, () => {
      if (typeof input === 'string') {
        assert.equal(isHttpUrl(input), isHttp);
        assert.equal(isHttpUrl(input, true), isHttps);
      }
      assert.equal(httpUrlOrNull(input), orNull);
    });
  }
});
