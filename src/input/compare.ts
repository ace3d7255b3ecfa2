/**
 * The one order of strings dkp-fleet sorts by: UTF-16 code units, as `Array.prototype.sort` orders strings by
 * default. Unlike `localeCompare`, it is the same on every machine and locale, so the output is byte-identical.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A comparator of items by a string key of each (a file's path, a check's object), in `compareStrings` order. */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareStrings(key(a), key(b));
}
