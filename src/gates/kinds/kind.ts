import { byKey } from '../../input/compare';
import { Expectation, HealthCheck } from '../../planner/layer';

/**
 * What one kind of check means, written once (issue: gates that tell the truth): the sentence
 * PLAN.md shows, the CEL Flux evaluates where it can, and the shell check a Job gate runs where
 * it cannot. A new check kind is one of these, entered in check-kinds.ts.
 */

/** A check whose expectation is of type `T`. */
export type CheckOf<T extends Expectation['type']> = HealthCheck & { readonly expect: Extract<Expectation, { type: T }> };

/** Flux `healthCheckExprs` entry, without its apiVersion and kind. */
export interface CelExpr {
  readonly current: string;
  readonly failed?: string;
}

/** An object a Job gate reads, for its RBAC: by name, or every object of the resource in a namespace (`list`). */
export interface Read {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Plural resource name. */
  readonly resource: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  /** Names read with `get`. @default - listed (`list`), for reads by label */
  readonly names?: readonly string[];
}

/** One check in a Job gate: a call of a shell function that prints `done`, `failed: <why>` or `waiting: <why>`. */
export interface ShellCheck {
  /** The function's name and definition (defined once per script, shared by checks of a kind). */
  readonly fn: { readonly name: string; readonly body: string };
  readonly args: readonly string[];
  readonly reads: readonly Read[];
}

export interface CheckKind<T extends Expectation['type']> {
  /** PLAN.md: what the object must show, after its name. */
  readonly describe: (c: CheckOf<T>) => string;
  /** kstatus alone proves the expectation (existence, readiness): no CEL, no Job. */
  readonly kstatus: boolean;
  /**
   * CEL for the checks of one API group and kind in a layer (Flux honours one entry per group
   * and kind). @default - none: kstatus decides
   */
  readonly cel?: (checks: readonly CheckOf<T>[]) => CelExpr;
  /** The CEL proves what `describe` says (else it is necessary only, and a Job or "ready-only" is needed). */
  readonly celExact: boolean;
  /** The Job gate's check. @default - none */
  readonly shell?: (c: CheckOf<T>) => ShellCheck;
  /** The checks report a terminal failure (`failed`) where the controller shows one; else they wait for the layer's timeout. */
  readonly detectsFailure: boolean;
  /** Whether this check can be exact at all (a HelmRelease whose chart version is unknown cannot). @default - always */
  readonly exactFor?: (c: CheckOf<T>) => boolean;
}

/** A CEL string literal. */
export const str = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A CEL list literal of strings. */
export const strList = (values: readonly string[]): string => `[${values.map(str).join(', ')}]`;

/** CEL: the object has condition `type` with `status`. */
export const condition = (type: string, status: string): string =>
  `has(status.conditions) && status.conditions.exists(c, c.type == ${str(type)} && c.status == ${str(status)})`;

/** CEL: the controller observed the object's generation. */
export const OBSERVED = 'has(status.observedGeneration) && status.observedGeneration == metadata.generation';

/** CEL: a status counter, 0 when absent (v1alpha4 and apps/v1 omit zero counters). */
export const count = (field: string): string => `(has(status.${field}) ? status.${field} : 0)`;

/** CEL: `namespace/name` of the object. */
export const OBJECT_KEY = "(has(metadata.namespace) ? metadata.namespace : '') + '/' + metadata.name";

/**
 * A value that depends on the object: the literal when every check shares it, else a CEL map
 * keyed by `namespace/name`, indexed by the object's own key (a missing key is an error, which
 * Flux reads as "not yet": no object outside the map is checked with this expression).
 */
export function perObject<C extends HealthCheck>(checks: readonly C[], value: (c: C) => string): string {
  const values = new Map(checks.map((c) => [`${c.namespace ?? ''}/${c.name}`, value(c)]));
  const distinct = new Set(values.values());
  if (distinct.size === 1) {
    return [...distinct][0];
  }
  const entries = [...values.entries()].sort(byKey(([k]) => k)).map(([k, v]) => `${str(k)}: ${v}`);
  return `{${entries.join(', ')}}[${OBJECT_KEY}]`;
}

/** A shell word: single-quoted. */
export const sq = (s: string): string => `'${s.replace(/'/g, `'"'"'`)}'`;

/**
 * A kubectl jsonpath template printing `fields` separated by `|`, closed by `|end` so that
 * trailing empty fields survive `read` (kubectl prints a missing field as nothing).
 */
export const fields = (paths: readonly string[]): string => `${paths.map((p) => `{${p}}`).join('|')}|end`;

/** `kubectl get` resource of a check's object: plural, qualified by its group. */
export function resourceOf(c: Pick<HealthCheck, 'apiVersion' | 'kind'>): { readonly group: string; readonly resource: string; readonly qualified: string } {
  const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
  const lower = c.kind.toLowerCase();
  const resource = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return { group, resource, qualified: group ? `${resource}.${group}` : resource };
}

/** The read of one named object. */
export function readOf(c: HealthCheck): Read {
  const r = resourceOf(c);
  return { group: r.group, resource: r.resource, ...(c.namespace ? { namespace: c.namespace } : {}), names: [c.name] };
}
