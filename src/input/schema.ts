import { child, Problems, show } from './problems';

/**
 * A validator checks one value at a field path, records problems, and returns the typed
 * value, or `INVALID` when the value cannot be used. Validators never throw.
 */
export type Validator<T> = (value: unknown, path: string, problems: Problems) => T | typeof INVALID;

/** Marker for a value that failed validation. */
export const INVALID = Symbol('invalid');

/** A field of an object schema; `R` tells whether it is required. */
export interface Field<T, R extends boolean = boolean> {
  readonly validate: Validator<T>;
  readonly required: R;
}

export function required<T>(validate: Validator<T>): Field<T, true> {
  return { validate, required: true };
}

export function optional<T>(validate: Validator<T>): Field<T | undefined, false> {
  return { validate: validate as Validator<T | undefined>, required: false };
}

/** The type a validator yields: `Infer<typeof fleetSchema>` is the fleet file as written. */
export type Infer<V> = V extends Validator<infer T> ? T : never;

type FieldType<F> = F extends Field<infer T, boolean> ? T : never;
type RequiredKeys<S> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type OptionalKeys<S> = Exclude<keyof S, RequiredKeys<S>>;
type Flatten<T> = { [K in keyof T]: T[K] };

/** The value of an object schema: required fields present, optional ones possibly absent. */
export type ObjectOf<S> = Flatten<
  { readonly [K in RequiredKeys<S>]: FieldType<S[K]> } & { readonly [K in OptionalKeys<S>]?: Exclude<FieldType<S[K]>, undefined> }
>;

type Shape<T> = { readonly [K in keyof T]-?: Field<T[K]> };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'string') return 'a string';
  return typeof value;
}

function wrongType(path: string, value: unknown, expected: string, problems: Problems): typeof INVALID {
  problems.add(path, `expected ${expected}, got ${typeName(value)}${value === null || typeof value === 'object' ? '' : ` (${show(value)})`}`);
  return INVALID;
}

/** Edit distance, to suggest the intended field for a misspelled one. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Suggests the closest of `options` to `name`, if one is close enough to be a typo. */
export function suggest(name: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const o of options) {
    const d = distance(name.toLowerCase(), o.toLowerCase());
    if (d < bestDistance) {
      best = o;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/**
 * A closed mapping: every field is declared, unknown fields are refused (with a suggestion
 * when the name looks like a typo of a known one). Its type follows from the shape.
 */
export function object<S extends Record<string, Field<unknown>>>(shape: S, describe = 'a mapping'): Validator<ObjectOf<S>> {
  return closedMapping(shape, describe) as Validator<ObjectOf<S>>;
}

/** {@link object} for a type declared elsewhere (the release catalog's documented interfaces). */
export function typedObject<T>(shape: Shape<T>, describe = 'a mapping'): Validator<T> {
  return closedMapping(shape, describe) as Validator<T>;
}

function closedMapping(shape: Record<string, Field<unknown>>, describe: string): Validator<unknown> {
  const known = Object.keys(shape);
  return (value, path, problems) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return wrongType(path, value, describe, problems);
    }
    const input = value as Record<string, unknown>;
    let ok = true;
    for (const key of Object.keys(input)) {
      if (!Object.prototype.hasOwnProperty.call(shape, key)) {
        const hint = suggest(key, known);
        problems.add(child(path, key), `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}; allowed fields: ${known.join(', ')}`);
        ok = false;
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of known) {
      const field = shape[key];
      const v = Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
      if (v === undefined || v === null) {
        if (field.required) {
          problems.add(child(path, key), 'required field is missing');
          ok = false;
        }
        continue;
      }
      const r = field.validate(v, child(path, key), problems);
      if (r === INVALID) {
        ok = false;
      } else {
        out[key] = r;
      }
    }
    return ok ? out : INVALID;
  };
}

export interface StringOptions {
  /** What the value is, for messages: "a duration such as 10m". */
  readonly describe?: string;
  /** Returns a message when the string is not acceptable. */
  readonly check?: (value: string) => string | undefined;
  /** Longest accepted string. @default 1024 */
  readonly maxLength?: number;
}

export function string(options: StringOptions = {}): Validator<string> {
  const maxLength = options.maxLength ?? 1024;
  return (value, path, problems) => {
    if (typeof value !== 'string') {
      return wrongType(path, value, options.describe ?? 'a string', problems);
    }
    if (value.length > maxLength) {
      problems.add(path, `${show(value)} is too long (${value.length} characters); at most ${maxLength} are allowed`);
      return INVALID;
    }
    const message = options.check?.(value);
    if (message !== undefined) {
      problems.add(path, message);
      return INVALID;
    }
    return value;
  };
}

/** A string from a fixed set. */
export function oneOf<T extends string>(values: readonly T[]): Validator<T> {
  return (value, path, problems) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      const hint = typeof value === 'string' ? suggest(value, values) : undefined;
      problems.add(path, `${show(value)} is not allowed${hint ? ` (did you mean "${hint}"?)` : ''}; allowed values: ${values.join(', ')}`);
      return INVALID;
    }
    return value as T;
  };
}

export function boolean(): Validator<boolean> {
  return (value, path, problems) => (typeof value === 'boolean' ? value : wrongType(path, value, 'true or false', problems));
}

export function integer(min: number, max: number): Validator<number> {
  return (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return wrongType(path, value, `a whole number from ${min} to ${max}`, problems);
    }
    if (value < min || value > max) {
      problems.add(path, `${value} is out of range; allowed: ${min} to ${max}`);
      return INVALID;
    }
    return value;
  };
}

export interface ListOptions {
  /** Longest accepted list. @default 100000 */
  readonly maxItems?: number;
}

/** A list whose items all pass `item`; invalid items are reported and the list is invalid. */
export function list<T>(item: Validator<T>, options: ListOptions = {}): Validator<T[]> {
  const maxItems = options.maxItems ?? 100000;
  return (value, path, problems) => {
    if (!Array.isArray(value)) {
      return wrongType(path, value, 'a list', problems);
    }
    if (value.length > maxItems) {
      problems.add(path, `has ${value.length} items; at most ${maxItems} are allowed`);
      return INVALID;
    }
    const out: T[] = [];
    let ok = true;
    value.forEach((v, i) => {
      const r = item(v, child(path, i), problems);
      if (r === INVALID) {
        ok = false;
      } else {
        out.push(r);
      }
    });
    return ok ? out : INVALID;
  };
}

/**
 * Accepts either form: a bare string (shorthand) or a mapping. The string form is turned
 * into the mapping form by `fromString`.
 */
export function stringOr<T>(fromString: (s: string) => NoInfer<T>, stringValidator: Validator<string>, mapping: Validator<T>, describe: string): Validator<T> {
  return (value, path, problems) => {
    if (typeof value === 'string') {
      const s = stringValidator(value, path, problems);
      return s === INVALID ? INVALID : fromString(s);
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return mapping(value, path, problems);
    }
    return wrongType(path, value, describe, problems);
  };
}

/** A mapping with free keys (checked by `key`) whose values all pass `item`. */
export function record<T>(key: Validator<string>, item: Validator<T>): Validator<Record<string, T>> {
  return (value, path, problems) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return wrongType(path, value, 'a mapping', problems);
    }
    const out: Record<string, T> = {};
    let ok = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (key(k, child(path, k), problems) === INVALID) {
        ok = false;
        continue;
      }
      const r = item(v, child(path, k), problems);
      if (r === INVALID) {
        ok = false;
      } else {
        out[k] = r;
      }
    }
    return ok ? out : INVALID;
  };
}
