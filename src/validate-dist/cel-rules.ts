import { celEnv, celError, isCelError, parse, plan } from '@bufbuild/cel';
import type { SchemaError } from './schema-error';
import { SchemaNode } from './structural-schema';

/**
 * Evaluates the `x-kubernetes-validations` CEL rules of a CRD schema on an object, as the API
 * server does on create (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules):
 * each rule runs with `self` bound to the value of its node, for every node the object has.
 * Transition rules (`oldSelf`) only run on update and are skipped. A rule that the evaluator
 * (@bufbuild/cel: standard CEL, without Kubernetes' extension libraries) cannot run is not
 * reported as an error, but as a note: it was not checked.
 */
export type RuleFinding = SchemaError;

export interface RuleResults {
  readonly errors: readonly RuleFinding[];
  /** Rules that could not be evaluated. */
  readonly unevaluated: readonly RuleFinding[];
}

interface Rule {
  readonly rule: string;
  readonly message?: string;
}

/** Planned rules by expression: a CRD's rules run once per object, and planning is the costly part. */
const planned = new Map<string, (bindings: { self: never }) => unknown>();
function evaluate(rule: string, self: unknown): unknown {
  let run = planned.get(rule);
  if (run === undefined) {
    try {
      run = plan(celEnv(), parse(rule)) as (bindings: { self: never }) => unknown;
    } catch (e) {
      const error = celError(e);
      run = () => error;
    }
    planned.set(rule, run);
  }
  try {
    return run({ self: self as never });
  } catch (e) {
    return celError(e);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Does the schema (or anything below it) carry rules? Cached: most of a schema has none. */
const hasRules = new WeakMap<SchemaNode, boolean>();
function carriesRules(s: SchemaNode): boolean {
  let r = hasRules.get(s);
  if (r === undefined) {
    r = Array.isArray(s['x-kubernetes-validations'])
      || Object.values((s.properties ?? {}) as Record<string, SchemaNode>).some(carriesRules)
      || (isObject(s.items) && carriesRules(s.items))
      || (isObject(s.additionalProperties) && carriesRules(s.additionalProperties));
    hasRules.set(s, r);
  }
  return r;
}

/**
 * Checks every rule of `schema` on `value`.
 *
 * @param path field path of `value`, for findings (`spec.fetchConfig`)
 */
export function checkRules(schema: SchemaNode, value: unknown, path = ''): RuleResults {
  const errors: RuleFinding[] = [];
  const unevaluated: RuleFinding[] = [];
  const visit = (s: SchemaNode, v: unknown, at: string) => {
    if (v === undefined || v === null || !carriesRules(s)) return;
    for (const r of (s['x-kubernetes-validations'] ?? []) as Rule[]) {
      if (/\boldSelf\b/.test(r.rule)) continue;
      const result = evaluate(r.rule, v);
      if (result === false) {
        errors.push({ path: at, message: `${r.message ?? 'failed validation rule'} (rule: ${r.rule})` });
      } else if (result !== true) {
        const why = isCelError(result) ? result.message : `returned ${String(result)}`;
        unevaluated.push({ path: at, message: `rule ${JSON.stringify(r.rule)} not evaluated: ${why}` });
      }
    }
    const child = (key: string | number) => (typeof key === 'number' ? `${at}[${key}]` : at === '' ? key : `${at}.${key}`);
    if (Array.isArray(v)) {
      if (isObject(s.items)) v.forEach((item, i) => visit(s.items, item, child(i)));
    } else if (isObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        const p = (s.properties as Record<string, SchemaNode> | undefined)?.[k];
        if (p !== undefined && Object.prototype.hasOwnProperty.call(s.properties, k)) visit(p, item, child(k));
        else if (isObject(s.additionalProperties)) visit(s.additionalProperties, item, child(k));
      }
    }
  };
  visit(schema, value, path);
  return { errors, unevaluated };
}
