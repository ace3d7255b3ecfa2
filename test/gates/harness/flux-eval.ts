import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';

/**
 * How Flux's kustomize-controller (v1.5.x, fluxcd/pkg runtime/cel status_evaluator.go) judges one
 * object of a health check with `healthCheckExprs`: when `status.observedGeneration` exists and
 * differs from `metadata.generation` it is InProgress before any expression runs; then
 * `inProgress`, `failed`, `current` in that order, the first true one decides; an evaluation error
 * stops there as Unknown (Flux keeps waiting); nothing true is InProgress. The object's top-level
 * fields are the variables; integers are int64 (here BigInt), as cel-go sees them.
 */
export type FluxStatus = 'Current' | 'Failed' | 'InProgress' | 'Unknown' | 'NotFound';

export interface Expr {
  readonly current: string;
  readonly failed?: string;
  readonly inProgress?: string;
}

const planned = new Map<string, (b: Record<string, unknown>) => unknown>();

function int64(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(int64);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, int64(x)]));
  return v;
}

function evaluate(expr: string, object: Record<string, unknown>): boolean | 'error' {
  let run = planned.get(expr);
  if (run === undefined) {
    run = plan(celEnv(), parse(expr)) as (b: Record<string, unknown>) => unknown;
    planned.set(expr, run);
  }
  let r: unknown;
  try {
    r = run(int64(object) as Record<string, unknown>);
  } catch {
    return 'error';
  }
  if (isCelError(r)) return 'error';
  if (typeof r !== 'boolean') return 'error';
  return r;
}

export function celStatus(expr: Expr, object: Record<string, any> | undefined): FluxStatus {
  if (object === undefined) return 'NotFound';
  const og = object.status?.observedGeneration;
  if (typeof og === 'number' && og !== object.metadata?.generation) return 'InProgress';
  for (const [e, status] of [[expr.inProgress, 'InProgress'], [expr.failed, 'Failed'], [expr.current, 'Current']] as const) {
    if (e === undefined) continue;
    const r = evaluate(e, object);
    if (r === 'error') return 'Unknown';
    if (r) return status;
  }
  return 'InProgress';
}

/**
 * kstatus for a custom resource without an expression (fluxcd/cli-utils pkg/kstatus/status):
 * generation not observed -> InProgress; Reconciling -> InProgress; Stalled -> Failed; Ready decides;
 * no Ready condition -> Current.
 */
export function kstatus(object: Record<string, any> | undefined): FluxStatus {
  if (object === undefined) return 'NotFound';
  const og = object.status?.observedGeneration;
  if (typeof og === 'number' && og !== object.metadata?.generation) return 'InProgress';
  const conditions: { type: string; status: string }[] = object.status?.conditions ?? [];
  const is = (t: string, s: string) => conditions.some((c) => c.type === t && c.status === s);
  if (is('Reconciling', 'True')) return 'InProgress';
  if (is('Stalled', 'True')) return 'Failed';
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready === undefined) return 'Current';
  return ready.status === 'True' ? 'Current' : 'InProgress';
}
