import Ajv from 'ajv';
import { toJsonSchema } from '../../src/validate-dist/structural-schema';

const check = (schema: object, value: unknown, ignoreRequired = false) => {
  const v = new Ajv({ allErrors: true, strict: false }).compile(toJsonSchema(schema, { ignoreRequired }));
  return v(value) ? [] : v.errors!.map((e) => `${e.instancePath} ${e.keyword}`
    + `${e.keyword === 'additionalProperties' ? ` ${(e.params as any).additionalProperty}` : ''}`);
};

describe('converting a structural schema', () => {
  const spec = {
    type: 'object',
    required: ['interval'],
    properties: {
      interval: { type: 'string' },
      nested: { type: 'object', properties: { a: { type: 'integer' } } },
      map: { type: 'object', additionalProperties: { type: 'string' } },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { inner: { type: 'object', properties: { x: { type: 'string' } } } } },
      empty: { type: 'object' },
      port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^[0-9]+%?$' },
      port2: { 'x-kubernetes-int-or-string': true },
      maybe: { type: 'string', nullable: true, enum: ['a', 'b'] },
      ratio: { type: 'number', maximum: 1, exclusiveMaximum: true },
      stamp: { type: 'string', format: 'date-time', description: 'ignored', 'x-kubernetes-validations': [{ rule: 'self != ""' }] },
      choice: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'string' } }, oneOf: [{ required: ['x'] }, { required: ['y'] }] },
      embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
    },
  };

  test('accepts what the schema allows', () => {
    expect(check(spec, {
      interval: '1m', nested: { a: 1 }, map: { k: 'v' }, free: { anything: 1, inner: { x: 'y' } }, empty: {}, port: 8080, port2: 'http',
      maybe: null, ratio: 0.5, stamp: 'not a date, and formats are not checked', choice: { x: 'a' },
      embedded: { apiVersion: 'v1', kind: 'X', metadata: {}, other: 1 },
    })).toEqual([]);
  });

  test('closes an object with properties and no additionalProperties (the API server would prune the field)', () => {
    expect(check(spec, { interval: '1m', nested: { a: 1, b: 2 } })).toEqual(['/nested additionalProperties b']);
    expect(check(spec, { interval: '1m', intervall: '1m' })).toEqual([' additionalProperties intervall']);
  });

  test('closes an object without properties: the API server keeps nothing of it', () => {
    expect(check(spec, { interval: '1m', empty: { a: 1 } })).toEqual(['/empty additionalProperties a']);
  });

  test('keeps unknown fields at a preserve-unknown-fields node only, as the API server prunes its specified children', () => {
    expect(check(spec, { interval: '1m', free: { anything: 1 } })).toEqual([]);
    expect(check(spec, { interval: '1m', free: { inner: { x: 'y', z: 1 } } })).toEqual(['/free/inner additionalProperties z']);
  });

  test('accepts an integer or a string for int-or-string, and nothing else', () => {
    expect(check(spec, { interval: '1m', port: '50%', port2: 3 })).toEqual([]);
    expect(check(spec, { interval: '1m', port: true })).toContain('/port anyOf');
    expect(check(spec, { interval: '1m', port2: [1] })).toContain('/port2 anyOf');
  });

  test('accepts null where nullable, still checking the enum otherwise', () => {
    expect(check(spec, { interval: '1m', maybe: 'c' })).toEqual(['/maybe enum']);
  });

  test('turns the OpenAPI 3.0 exclusiveMaximum flag into a bound', () => {
    expect(check(spec, { interval: '1m', ratio: 1 })).toEqual(['/ratio exclusiveMaximum']);
  });

  test('checks types and required fields', () => {
    expect(check(spec, { interval: 5 })).toEqual(['/interval type']);
    expect(check(spec, {})).toEqual([' required']);
  });

  test('drops required fields for partial objects, keeping types and unknown fields', () => {
    expect(check(spec, {}, true)).toEqual([]);
    expect(check(spec, { intervall: 5 }, true)).toEqual([' additionalProperties intervall']);
    expect(check(spec, { interval: 5 }, true)).toEqual(['/interval type']);
  });

  test('never closes the branches of anyOf/oneOf (they only add value rules)', () => {
    expect(check(spec, { interval: '1m', choice: { y: 'b' } })).toEqual([]);
    expect(check(spec, { interval: '1m', choice: { x: 'a', y: 'b' } })).toEqual(['/choice oneOf']);
  });

  test('fails if the schema uses a keyword it does not know, rather than ignoring a rule', () => {
    expect(() => toJsonSchema({ type: 'object', $ref: '#/definitions/x' })).toThrow('unsupported schema keyword "$ref"');
  });
});
