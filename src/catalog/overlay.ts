import { UserFact } from './release';
import { Problems } from '../input/problems';

/** Fields that name the file rather than add facts to the release. */
const HEADER = new Set(['apiVersion', 'kind', 'version']);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as PLAN.md shows it: a scalar as written, a list or map in flow style. */
function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Lays a user's release file over the built-in release of the same version (issue: the fleet as
 * it is): maps merge key by key, lists and scalars replace. Records each fact the user's file
 * supplies (a scalar, a list, or an empty map), with the built-in value it replaced.
 *
 * @param base the built-in release file, as parsed
 * @param overlay the user's file, as parsed (its header fields are checked, not merged)
 * @returns the merged document, to be validated as a whole release
 */
export function overlayRelease(base: Record<string, unknown>, overlay: Record<string, unknown>, problems: Problems): {
  readonly merged: Record<string, unknown>;
  readonly facts: UserFact[];
} {
  const facts: UserFact[] = [];
  const merge = (b: unknown, o: unknown, at: string): unknown => {
    if (isMap(o) && (isMap(b) || b === undefined)) {
      const out: Record<string, unknown> = isMap(b) ? { ...b } : {};
      const keys = Object.keys(o);
      if (keys.length === 0 && b === undefined) facts.push({ path: at, value: '{}' });
      for (const k of keys) {
        if (k === '__proto__' || k === 'constructor' || k === 'prototype') {
          problems.add(at ? `${at}.${k}` : k, 'is not a release field');
          continue;
        }
        out[k] = merge(isMap(b) ? b[k] : undefined, o[k], at ? `${at}.${k}` : k);
      }
      return out;
    }
    const same = b !== undefined && JSON.stringify(b) === JSON.stringify(o);
    facts.push({ path: at, value: shown(o), ...(b !== undefined && !same ? { replaced: shown(b) } : {}) });
    return o;
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (HEADER.has(k)) continue;
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') {
      problems.add(k, 'is not a release field');
      continue;
    }
    merged[k] = merge(base[k], v, k);
  }
  return { merged, facts };
}
