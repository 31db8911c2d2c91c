import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, ERROR_CODES, validationError } from '../core/shared/errors.ts';
import { mapDbError } from '../storage/map-db-error.ts';
import { errorBody, HTTP_STATUS, toDomainError } from './errors.ts';
import type { FieldError } from '../core/shared/errors.ts';

const fieldsOf = (e: DomainError) => e.details?.fields as FieldError[] | undefined;
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the error table', () => {
  it('maps every code to one status, and docs/errors.md documents every code', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    for (const code of ERROR_CODES) {
      assert.ok(HTTP_STATUS[code] >= 400 && HTTP_STATUS[code] < 600, code);
      assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${HTTP_STATUS[code]} \\|`), `docs/errors.md row for ${code}`);
    }
  });

  it('qualifies domain field names as body fields and keeps qualified ones', () => {
    const e = toDomainError(validationError([{ field: 'name', reason: 'must not be empty' }, { field: 'query.limit', reason: 'too big' }]));
    assert.deepEqual(e.details?.fields, [
      { field: 'body.name', reason: 'must not be empty' },
      { field: 'query.limit', reason: 'too big' },
    ]);
  });

  it('turns ajv findings into fields with reasons', () => {
    const ajv = Object.assign(new Error('bad'), {
      validation: [
        { instancePath: '', keyword: 'required', params: { missingProperty: 'name' }, message: "must have required property 'name'" },
        { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'colour' } },
        { instancePath: '/scope', keyword: 'enum', params: { allowedValues: ['read', 'write'] } },
        { instancePath: '/items/0/at', keyword: 'format', params: {}, message: 'must match format "date-time"' },
      ],
      validationContext: 'body',
    });
    assert.deepEqual(toDomainError(ajv).details?.fields, [
      { field: 'body.name', reason: 'is required' },
      { field: 'body.colour', reason: 'is not a known field' },
      { field: 'body.scope', reason: 'must be one of "read", "write"' },
      { field: 'body.items.0.at', reason: 'must match format "date-time"' },
    ]);
    const query = Object.assign(new Error('bad'), { validation: [{ instancePath: '/limit', keyword: 'maximum', params: {}, message: 'must be <= 200' }], validationContext: 'querystring' });
    assert.equal(fieldsOf(toDomainError(query))?.[0]?.field, 'query.limit');
  });

  it('maps framework errors by status, and hides everything else behind INTERNAL', () => {
    assert.equal(toDomainError(Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 })).code, 'VALIDATION');
    assert.equal(toDomainError(Object.assign(new Error('too big'), { statusCode: 413 })).code, 'PAYLOAD_TOO_LARGE');
    assert.equal(toDomainError(Object.assign(new Error('type'), { statusCode: 415 })).code, 'UNSUPPORTED_MEDIA_TYPE');
    const internal = toDomainError(new Error('connection string postgres://secret@db leaked'));
    assert.equal(internal.code, 'INTERNAL');
    assert.doesNotMatch(internal.message, /secret/);
  });

  it('maps database rule violations to domain errors', () => {
    const dup = mapDbError({ code: '23505', constraint: 'services_name_key' });
    assert.equal(dup?.code, 'CONFLICT');
    assert.deepEqual(dup?.details?.fields, [{ field: 'name', reason: 'is already in use' }]);
    assert.equal(fieldsOf(toDomainError({ code: '23505', constraint: 'services_name_key' }))?.[0]?.field, 'body.name');
    assert.equal(mapDbError({ code: 'ECONNREFUSED' })?.code, 'UNAVAILABLE');
    assert.equal(mapDbError({ code: '42P01' }), null);
    assert.equal(mapDbError('text'), null);
  });

  it('writes the one body shape', () => {
    assert.deepEqual(errorBody(new DomainError('NOT_FOUND', 'service x was not found.'), 'req-1'), {
      error: { code: 'NOT_FOUND', message: 'service x was not found.', requestId: 'req-1' },
    });
  });
});
