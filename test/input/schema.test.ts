import { Problems } from '../../src/input/problems';
import {
  boolean, integer, INVALID, list, object, oneOf, optional, record, required, string, stringOr, suggest, typedObject, Validator,
} from '../../src/input/schema';

/**
 * The validators every fleet file goes through (src/input/schema.ts), one by one: what each accepts,
 * what it returns, and the exact problem it records otherwise.
 */

function run<T>(v: Validator<T>, value: unknown, path = 'spec.x'): { result: T | typeof INVALID; problems: string[] } {
  const p = new Problems();
  const result = v(value, path, p);
  return { result, problems: p.all.map((x) => `${x.path}: ${x.message}`) };
}

describe('wrong types', () => {
  test.each([
    [null, 'expected a string, got null'],
    [[1], 'expected a string, got a list'],
    [{ a: 1 }, 'expected a string, got a mapping'],
    [3, 'expected a string, got a number (3)'],
    [true, 'expected a string, got a boolean (true)'],
  ])('a string field given %p', (value, message) => {
    expect(run(string(), value)).toEqual({ result: INVALID, problems: [`spec.x: ${message}`] });
  });

  test('say what the field is when the schema describes it', () => {
    expect(run(string({ describe: 'a duration such as 10m' }), 5).problems).toEqual(['spec.x: expected a duration such as 10m, got a number (5)']);
    expect(run(boolean(), 'yes').problems).toEqual(['spec.x: expected true or false, got a string ("yes")']);
    expect(run(boolean(), false).result).toBe(false);
    expect(run(boolean(), true).result).toBe(true);
  });
});

describe('string', () => {
  test('accepts up to 1024 characters by default, or the limit given', () => {
    expect(run(string(), 'a'.repeat(1024)).result).toBe('a'.repeat(1024));
    const long = run(string(), 'a'.repeat(1025));
    expect(long.result).toBe(INVALID);
    expect(long.problems[0]).toMatch(/^spec\.x: "a+\.\.\. is too long \(1025 characters\); at most 1024 are allowed$/);
    expect(run(string({ maxLength: 3 }), 'abc').result).toBe('abc');
    expect(run(string({ maxLength: 3 }), 'abcd').problems).toEqual(['spec.x: "abcd" is too long (4 characters); at most 3 are allowed']);
  });

  test('records what the check says, and accepts what it passes', () => {
    const v = string({ check: (s) => (s.startsWith('x') ? undefined : `${s} must start with x`) });
    expect(run(v, 'xy')).toEqual({ result: 'xy', problems: [] });
    expect(run(v, 'y')).toEqual({ result: INVALID, problems: ['spec.x: y must start with x'] });
  });
});

describe('oneOf', () => {
  const v = oneOf(['hub', 'kommander'] as const);
  test('accepts a listed value, refuses others with the list and a suggestion', () => {
    expect(run(v, 'hub')).toEqual({ result: 'hub', problems: [] });
    expect(run(v, 'hubb').problems).toEqual(['spec.x: "hubb" is not allowed (did you mean "hub"?); allowed values: hub, kommander']);
    expect(run(v, 'something-else').problems).toEqual(['spec.x: "something-else" is not allowed; allowed values: hub, kommander']);
    expect(run(v, 7).problems).toEqual(['spec.x: 7 is not allowed; allowed values: hub, kommander']);
    expect(run(v, 7).result).toBe(INVALID);
  });
});

describe('integer', () => {
  const v = integer(1, 10);
  test('accepts whole numbers in range, edges included', () => {
    expect(run(v, 1).result).toBe(1);
    expect(run(v, 10).result).toBe(10);
  });

  test('refuses fractions, other types and numbers out of range', () => {
    expect(run(v, 1.5).problems).toEqual(['spec.x: expected a whole number from 1 to 10, got a number (1.5)']);
    expect(run(v, '3').problems).toEqual(['spec.x: expected a whole number from 1 to 10, got a string ("3")']);
    expect(run(v, 0)).toEqual({ result: INVALID, problems: ['spec.x: 0 is out of range; allowed: 1 to 10'] });
    expect(run(v, 11)).toEqual({ result: INVALID, problems: ['spec.x: 11 is out of range; allowed: 1 to 10'] });
  });
});

describe('list', () => {
  test('returns the valid items, reports each invalid one at its index', () => {
    expect(run(list(integer(0, 5)), [1, 2])).toEqual({ result: [1, 2], problems: [] });
    expect(run(list(integer(0, 5)), [1, 9, 'a'])).toEqual({
      result: INVALID,
      problems: ['spec.x[1]: 9 is out of range; allowed: 0 to 5', 'spec.x[2]: expected a whole number from 0 to 5, got a string ("a")'],
    });
    expect(run(list(integer(0, 5)), { a: 1 }).problems).toEqual(['spec.x: expected a list, got a mapping']);
  });

  test('accepts up to 100000 items by default, or the limit given', () => {
    expect((run(list(boolean()), new Array(100000).fill(true)).result as boolean[]).length).toBe(100000);
    expect(run(list(boolean()), new Array(100001).fill(true)).problems).toEqual(['spec.x: has 100001 items; at most 100000 are allowed']);
    expect(run(list(boolean(), { maxItems: 2 }), [true, true]).result).toEqual([true, true]);
    expect(run(list(boolean(), { maxItems: 2 }), [true, true, true])).toEqual({ result: INVALID, problems: ['spec.x: has 3 items; at most 2 are allowed'] });
  });
});

describe('object', () => {
  const v = object({ name: required(string()), size: optional(integer(0, 9)), enabled: optional(boolean()) });

  test('returns the declared fields given, leaves absent ones out', () => {
    expect(run(v, { name: 'a', size: 3 })).toEqual({ result: { name: 'a', size: 3 }, problems: [] });
    expect(run(v, { name: 'a', size: null })).toEqual({ result: { name: 'a' }, problems: [] });
    expect(run(v, { name: 'a', enabled: false })).toEqual({ result: { name: 'a', enabled: false }, problems: [] });
  });

  test('refuses unknown fields, naming the known ones and suggesting the closest', () => {
    expect(run(v, { name: 'a', nmae: 'b' })).toEqual({
      result: INVALID, problems: ['spec.x.nmae: unknown field (did you mean "name"?); allowed fields: name, size, enabled'],
    });
    expect(run(v, { name: 'a', colour: 'b' }).problems).toEqual(['spec.x.colour: unknown field; allowed fields: name, size, enabled']);
  });

  test('refuses a missing or null required field, and an invalid field', () => {
    expect(run(v, {})).toEqual({ result: INVALID, problems: ['spec.x.name: required field is missing'] });
    expect(run(v, { name: null }).problems).toEqual(['spec.x.name: required field is missing']);
    expect(run(v, { name: 'a', size: 10 })).toEqual({ result: INVALID, problems: ['spec.x.size: 10 is out of range; allowed: 0 to 9'] });
  });

  test('refuses what is not a mapping, as described', () => {
    expect(run(v, [1]).problems).toEqual(['spec.x: expected a mapping, got a list']);
    expect(run(v, null).problems).toEqual(['spec.x: expected a mapping, got null']);
    expect(run(v, 'a').problems).toEqual(['spec.x: expected a mapping, got a string ("a")']);
    expect(run(object({}, 'a cluster'), 3).problems).toEqual(['spec.x: expected a cluster, got a number (3)']);
    expect(run(typedObject<{ a?: string }>({ a: optional(string()) }, 'a release'), 3).problems).toEqual(['spec.x: expected a release, got a number (3)']);
  });

  test('does not take fields from the prototype', () => {
    expect(run(v, Object.assign(Object.create({ name: 'inherited' }), {})).problems).toEqual(['spec.x.name: required field is missing']);
    expect(run(v, JSON.parse('{"name": "a", "__proto__": {"size": 1}}')).problems)
      .toEqual(['spec.x.__proto__: unknown field; allowed fields: name, size, enabled']);
  });
});

describe('stringOr and record', () => {
  const ref = stringOr((s) => ({ name: s }), string(), object({ name: required(string()) }), 'a name or a mapping');
  test('stringOr: a string becomes the mapping, a mapping is checked, anything else is refused', () => {
    expect(run(ref, 'x')).toEqual({ result: { name: 'x' }, problems: [] });
    expect(run(ref, { name: 'y' })).toEqual({ result: { name: 'y' }, problems: [] });
    expect(run(ref, { nam: 'y' }).result).toBe(INVALID);
    expect(run(ref, [1]).problems).toEqual(['spec.x: expected a name or a mapping, got a list']);
    expect(run(ref, null).problems).toEqual(['spec.x: expected a name or a mapping, got null']);
    expect(run(stringOr((s) => s, string({ maxLength: 1 }), string(), 'x'), 'ab').result).toBe(INVALID);
  });

  const rec = record(string({ check: (k) => (/^[a-z]+$/.test(k) ? undefined : 'lowercase keys only') }), integer(0, 3));
  test('record: checks every key and value', () => {
    expect(run(rec, { a: 1, b: 2 })).toEqual({ result: { a: 1, b: 2 }, problems: [] });
    expect(run(rec, { A: 1, b: 5, c: 2 })).toEqual({
      result: INVALID, problems: ['spec.x.A: lowercase keys only', 'spec.x.b: 5 is out of range; allowed: 0 to 3'],
    });
    // a bad key alone makes the whole record invalid (a validator that records a problem never returns a value)
    expect(run(rec, { A: 1, b: 2 })).toEqual({ result: INVALID, problems: ['spec.x.A: lowercase keys only'] });
    expect(run(rec, [1]).problems).toEqual(['spec.x: expected a mapping, got a list']);
    expect(run(rec, null).problems).toEqual(['spec.x: expected a mapping, got null']);
  });
});

describe('suggest', () => {
  const names = ['workspaces', 'management', 'release', 'rollout'];
  test('suggests the closest name within a typo\'s distance, case aside', () => {
    expect(suggest('workspace', names)).toBe('workspaces');
    expect(suggest('Relaese', names)).toBe('release');
    expect(suggest('managment', names)).toBe('management');
    expect(suggest('rolout', names)).toBe('rollout');
  });

  test('suggests nothing for a name too far from all', () => {
    expect(suggest('zzzz', names)).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
    // two edits are always allowed, more only for long names (a quarter of the length)
    expect(suggest('reless', ['release'])).toBe('release');
    expect(suggest('rlss', ['release'])).toBeUndefined();
    expect(suggest('workspacezzz', ['workspace'])).toBe('workspace');
    expect(suggest('workspacezzzz', ['workspace'])).toBeUndefined();
  });

  test('prefers the nearest of several', () => {
    expect(suggest('aab', ['abb', 'aab1', 'aab'])).toBe('aab');
    expect(suggest('abcd', ['abce', 'abcx', 'zzzz'])).toBe('abce');
  });
});
