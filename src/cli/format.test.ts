import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clean,
  describeFetchFailure,
  errorLine,
  EXIT,
  exitCodeForStatus,
  formatAge,
  formatDuration,
  formatZoned,
  isTimeZone,
  formatApiError,
  formatFields,
  formatTable,
  formatTime,
  isApiErrorBody,
  MIN_LAST_COLUMN,
  parseBaseUrl,
  parseWhen,
  truncate,
} from './format.ts';

describe('formatApiError', () => {
  it('names each invalid field with its reason, then the request id', () => {
    const body = {
      error: {
        code: 'VALIDATION',
        message: 'name: must not be empty',
        details: { fields: [{ field: 'body.name', reason: 'must not be empty' }, { field: 'body.runbookUrl', reason: 'must be an http or https URL' }] },
        requestId: '1234',
      },
    };
    assert.equal(formatApiError(body), 'VALIDATION body.name: must not be empty; body.runbookUrl: must be an http or https URL (request 1234)');
  });

  it('uses the message when there are no fields, and leaves out a missing request id', () => {
    assert.equal(formatApiError({ error: { code: 'FORBIDDEN', message: 'This needs the write permission.', requestId: 'r1' } }), 'FORBIDDEN This needs the write permission. (request r1)');
    assert.equal(formatApiError({ error: { code: 'NOT_FOUND', message: 'gone' } }), 'NOT_FOUND gone');
  });

  it('keeps a message with line breaks and escape codes on one harmless line', () => {
    assert.equal(formatApiError({ error: { code: 'INTERNAL', message: 'a\nb\u001b[31m', requestId: 'x' } }), 'INTERNAL a b?[31m (request x)');
  });
});

describe('isApiErrorBody', () => {
  it('accepts the API error envelope and refuses anything else', () => {
    assert.equal(isApiErrorBody({ error: { code: 'X', message: 'y' } }), true);
    assert.equal(isApiErrorBody({ error: 'nope' }), false);
    assert.equal(isApiErrorBody('<html>'), false);
    assert.equal(isApiErrorBody(undefined), false);
  });
});

describe('errorLine and clean', () => {
  it('prefixes "vigil: " and ends with exactly one newline', () => {
    assert.equal(errorLine('no API token\n  second line'), 'vigil: no API token second line\n');
  });

  it('replaces control characters instead of passing them to the terminal', () => {
    assert.equal(clean('ok\u0007\u009b2J'), 'ok??2J');
  });
});

describe('exitCodeForStatus', () => {
  it('maps 401 and 403 to 4 and every other error status to 1', () => {
    assert.deepEqual([401, 403, 400, 404, 409, 500].map(exitCodeForStatus), [EXIT.AUTH, EXIT.AUTH, 1, 1, 1, 1]);
  });
});

describe('describeFetchFailure', () => {
  it("finds the network code in fetch's cause chain", () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    assert.equal(describeFetchFailure(error), 'connection refused');
  });

  it('looks inside an AggregateError (both addresses of localhost refused)', () => {
    const inner = new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], '');
    assert.equal(describeFetchFailure(new TypeError('fetch failed', { cause: inner })), 'connection refused');
  });

  it('says timed out for an aborted timeout, and falls back to the deepest message', () => {
    assert.equal(describeFetchFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 'timed out');
    assert.equal(describeFetchFailure(new TypeError('fetch failed', { cause: new Error('bad port') })), 'bad port');
    assert.equal(describeFetchFailure(new TypeError('fetch failed')), 'the request failed');
  });
});

describe('parseBaseUrl', () => {
  it('accepts http(s) URLs without trailing slashes and refuses the rest', () => {
    assert.equal(parseBaseUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080');
    assert.equal(parseBaseUrl('https://ops.example.com/vigil//'), 'https://ops.example.com/vigil');
    assert.equal(parseBaseUrl('ftp://x'), null);
    assert.equal(parseBaseUrl('127.0.0.1:8080'), null);
  });
});

describe('formatTable', () => {
  it('aligns columns two spaces apart without trailing spaces', () => {
    const table = formatTable(['ID', 'NAME', 'KEYS'], [['1', 'checkout', 'abcd…wxyz'], ['22', 'db', '']]);
    assert.equal(table, 'ID  NAME      KEYS\n1   checkout  abcd…wxyz\n22  db\n');
  });

  it('styles the header line only, after measuring the columns', () => {
    const table = formatTable(['A', 'B'], [['xx', 'y']], (s) => `<${s}>`);
    assert.equal(table, '<A   B>\nxx  y\n');
  });

  it('keeps a cell with a newline on its row', () => {
    assert.equal(formatTable(['N'], [['a\nb']]), 'N\na b\n');
  });

  it('shortens only the last column to fit maxWidth, keeping a minimum of it', () => {
    const rows = [['1', 'Disk full on db-1 and the replica is filling up too']];
    assert.equal(formatTable(['#', 'SUMMARY'], rows, undefined, { maxWidth: 30 }), '#  SUMMARY\n1  Disk full on db-1 and the…\n');
    assert.equal(formatTable(['#', 'SUMMARY'], [['1', 'short']], undefined, { maxWidth: 30 }), '#  SUMMARY\n1  short\n');
    const narrow = formatTable(['#', 'SUMMARY'], rows, undefined, { maxWidth: 5 }).split('\n')[1]!;
    assert.equal([...narrow].length, 3 + MIN_LAST_COLUMN);
  });
});

describe('truncate', () => {
  it('cuts to the given number of characters with an ellipsis, never inside an emoji', () => {
    assert.equal(truncate('abcdef', 6), 'abcdef');
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('ab cdef', 4), 'ab…');
    assert.equal(truncate('🔥🔥🔥🔥', 3), '🔥🔥…');
    assert.equal(truncate('abc', 0), '');
  });
});

describe('parseWhen and formatAge', () => {
  const now = Date.parse('2026-01-05T12:00:00Z');

  it('reads ages before now', () => {
    assert.equal(parseWhen('30m', now), '2026-01-05T11:30:00.000Z');
    assert.equal(parseWhen('1h', now), '2026-01-05T11:00:00.000Z');
    assert.equal(parseWhen('2d', now), '2026-01-03T12:00:00.000Z');
    assert.equal(parseWhen('90s', now), '2026-01-05T11:58:30.000Z');
    assert.equal(parseWhen('1w', now), '2025-12-29T12:00:00.000Z');
  });

  it('reads times after now with a plus sign, and now itself', () => {
    assert.equal(parseWhen('+30m', now), '2026-01-05T12:30:00.000Z');
    assert.equal(parseWhen('+2d', now), '2026-01-07T12:00:00.000Z');
    assert.equal(parseWhen(' NOW ', now), '2026-01-05T12:00:00.000Z');
  });

  it('reads ISO dates and date-times, UTC unless an offset is given', () => {
    assert.equal(parseWhen('2026-01-05', now), '2026-01-05T00:00:00.000Z');
    assert.equal(parseWhen('2026-01-05T09:30', now), '2026-01-05T09:30:00.000Z');
    assert.equal(parseWhen('2026-01-05 09:30:15', now), '2026-01-05T09:30:15.000Z');
    assert.equal(parseWhen('2026-01-05T09:30:00+02:00', now), '2026-01-05T07:30:00.000Z');
    assert.equal(parseWhen('2026-01-05T09:30:00.5Z', now), '2026-01-05T09:30:00.500Z');
  });

  it('refuses anything else, and days a month does not have', () => {
    for (const bad of ['yesterday', '1y', '-1h', '+-1h', '++1h', 'now+1h', '', '2026-02-30', '2026-13-01', '2026-01-05T25:00', '05/01/2026']) assert.equal(parseWhen(bad, now), null, bad);
  });

  it('shows ages in their largest whole unit', () => {
    assert.equal(formatAge('2026-01-05T11:59:15Z', now), '45s');
    assert.equal(formatAge('2026-01-05T11:48:00Z', now), '12m');
    assert.equal(formatAge('2026-01-05T09:00:00Z', now), '3h');
    assert.equal(formatAge('2026-01-03T11:00:00Z', now), '2d');
    assert.equal(formatAge('2026-01-05T12:00:05Z', now), '0s', 'a clock slightly ahead is not a negative age');
    assert.equal(formatAge(null, now), '-');
  });
});

describe('formatFields and formatTime', () => {
  it('aligns values after the labels', () => {
    assert.equal(formatFields([['ID', '1'], ['Service', 'db']]), 'ID:       1\nService:  db\n');
  });

  it('shows API timestamps in UTC to the minute, and null as the fallback', () => {
    assert.equal(formatTime('2026-01-05T09:00:59.123Z'), '2026-01-05 09:00 UTC');
    assert.equal(formatTime('2026-01-05T10:30:00+01:00'), '2026-01-05 09:30 UTC');
    assert.equal(formatTime(null, 'never'), 'never');
  });

  it('shows seconds when asked', () => {
    assert.equal(formatTime('2026-01-05T09:00:59.123Z', '-', 'second'), '2026-01-05 09:00:59 UTC');
  });
});

describe('formatZoned, isTimeZone and formatDuration', () => {
  it('shows an instant as the wall clock of a zone, across daylight saving time', () => {
    assert.equal(formatZoned('2026-03-02T09:00:00Z', 'Europe/London'), 'Mon 2026-03-02 09:00');
    assert.equal(formatZoned('2026-04-06T09:00:00Z', 'Europe/London', { withZone: true }), 'Mon 2026-04-06 10:00 GMT+1');
    assert.equal(formatZoned('2026-03-02T09:00:00Z', 'Asia/Kolkata', { withZone: true }), 'Mon 2026-03-02 14:30 GMT+5:30');
    assert.equal(formatZoned('2026-03-02T23:30:00Z', 'America/New_York', { withZone: true }), 'Mon 2026-03-02 18:30 EST');
    assert.equal(formatZoned('2026-03-02T00:00:00Z', 'UTC', { withZone: true }), 'Mon 2026-03-02 00:00 UTC');
    assert.equal(formatZoned(null, 'UTC'), '-');
  });

  it('knows IANA zones and refuses anything else', () => {
    for (const zone of ['UTC', 'Europe/London', 'Australia/Lord_Howe']) assert.equal(isTimeZone(zone), true, zone);
    for (const zone of ['', 'Mars/Olympus_Mons', 'GMT+25']) assert.equal(isTimeZone(zone), false, zone);
  });

  it('shows durations in at most two units', () => {
    assert.equal(formatDuration(45 * 60_000), '45m');
    assert.equal(formatDuration(3.5 * 3_600_000), '3h 30m');
    assert.equal(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 59_000), '2d 4h');
    assert.equal(formatDuration(86_400_000), '1d');
  });
});
