import { CHECK_KINDS } from './check-kinds';
import { byKey } from '../input/compare';
import { CheckKind, CheckOf, resourceOf } from './kinds/kind';
import { Expectation, HealthCheck } from '../planner/layer';

/**
 * Flux `spec.healthCheckExprs` (kustomize-controller >= v1.5.0): per API group and kind, a CEL
 * `current` (and `failed`) that holds only when the upgrade has finished. Flux matches an entry by
 * group and kind, ignoring the version, and honours the first entry of each; it reads the object
 * in the version the cluster prefers; when `status.observedGeneration` differs from
 * `metadata.generation` it answers InProgress before evaluating anything; then `failed`, then
 * `current`; an evaluation error keeps it waiting (../research: Flux notes; test/gates/timelines).
 */
export interface HealthCheckExpr {
  readonly apiVersion: string;
  readonly kind: string;
  readonly current: string;
  readonly failed?: string;
}

/** One expression per group and kind for a layer's checks (kinds whose meaning kstatus decides have none). */
export function healthCheckExprs(checks: readonly HealthCheck[]): HealthCheckExpr[] {
  const byGroupKind = new Map<string, HealthCheck[]>();
  for (const c of checks) {
    const key = `${resourceOf(c).group}|${c.kind}`;
    byGroupKind.set(key, [...(byGroupKind.get(key) ?? []), c]);
  }
  const out: HealthCheckExpr[] = [];
  for (const [key, group] of [...byGroupKind.entries()].sort(byKey(([k]) => k))) {
    const types = new Set(group.map((c) => c.expect.type));
    if (types.size !== 1) {
      throw new Error(`internal: checks of ${key} expect different things: ${[...types].join(', ')}`);
    }
    const kind = CHECK_KINDS[group[0].expect.type] as CheckKind<Expectation['type']>;
    const e = kind.cel?.(group as CheckOf<Expectation['type']>[]);
    if (e) out.push({ apiVersion: group[0].apiVersion, kind: group[0].kind, ...e });
  }
  return out;
}
