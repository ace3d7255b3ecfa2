import { healthCheckExprs, HealthCheckExpr } from './cel';
import { CHECK_KINDS } from './check-kinds';
import { FluxProfile } from './flux-profile';
import { byKey } from '../input/compare';
import { CheckKind, CheckOf } from './kinds/kind';
import { Expectation, HealthCheck } from '../planner/layer';

/** The health part of a layer's Kustomization spec. */
export interface HealthGate {
  /** Check every applied object (Flux ignores `healthChecks` then). */
  readonly wait?: true;
  /** Objects to check when the layer also watches objects it does not apply. */
  readonly healthChecks?: readonly { apiVersion: string; kind: string; name: string; namespace?: string }[];
  readonly healthCheckExprs?: readonly HealthCheckExpr[];
  /** Checks that only prove readiness, not that the upgrade finished: said in the plan and on the terminal. */
  readonly readyOnly: readonly HealthCheck[];
}

/** How a check is proven. */
export type CheckStrength =
  /** kstatus is all the check needs (existence, readiness). */
  | 'kstatus'
  /** Flux's CEL proves the exact condition. */
  | 'cel'
  /** A Job gate proves the exact condition. */
  | 'job'
  /** Nothing proves more than readiness: "ready-only, not version-checked". */
  | 'ready-only';

const kind = (c: HealthCheck) => CHECK_KINDS[c.expect.type] as CheckKind<Expectation['type']>;
const exactFor = (c: HealthCheck) => kind(c).exactFor?.(c as CheckOf<Expectation['type']>) ?? true;

/** Does kstatus alone prove what the check expects? */
export function kstatusProves(c: HealthCheck): boolean {
  return kind(c).kstatus;
}

/** Does the Flux's CEL prove the check exactly? */
export function celProves(c: HealthCheck, profile: FluxProfile): boolean {
  const k = kind(c);
  return profile.healthCheckExprs && k.cel !== undefined && k.celExact && exactFor(c);
}

/** Can a Job gate prove the check exactly? */
export function jobProves(c: HealthCheck): boolean {
  return kind(c).shell !== undefined && exactFor(c);
}

/** The checks of a layer that only a Job gate can make exact (with this Flux). */
export function checksForJob(checks: readonly HealthCheck[], profile: FluxProfile): HealthCheck[] {
  return checks.filter((c) => !kstatusProves(c) && !celProves(c, profile) && jobProves(c));
}

/** How a check of a layer is proven, given the layer's Job gate (if any). */
export function strengthOf(c: HealthCheck, profile: FluxProfile, jobChecks: ReadonlySet<HealthCheck>): CheckStrength {
  if (kstatusProves(c)) return 'kstatus';
  if (celProves(c, profile)) return 'cel';
  if (jobChecks.has(c)) return 'job';
  return 'ready-only';
}

/**
 * Chooses how a layer proves it is done (DESIGN §2): `wait: true` when it only checks what it
 * applies; `healthChecks` listing everything when it also watches objects it does not apply
 * (Flux ignores the list when `wait` is set; applied objects without a check, such as
 * AppDeployments, have no status to check); CEL expressions where the Flux has them.
 *
 * @param jobChecks the checks a Job gate of the layer proves (its Job is among `checks`)
 */
export function healthGate(checks: readonly HealthCheck[], profile: FluxProfile, jobChecks: ReadonlySet<HealthCheck> = new Set()): HealthGate {
  const readyOnly = checks.filter((c) => strengthOf(c, profile, jobChecks) === 'ready-only');
  const exprs = profile.healthCheckExprs ? healthCheckExprs(checks) : [];
  const watches = checks.some((c) => !c.applied);
  const base = {
    readyOnly,
    ...(exprs.length > 0 ? { healthCheckExprs: exprs } : {}),
  };
  if (!watches) {
    // Barriers apply nothing and check nothing: `wait` still makes them Ready only after
    // their dependencies (dependsOn is checked before every apply).
    return { wait: true, ...base };
  }
  const key = (c: HealthCheck) => `${c.kind}/${c.namespace ?? ''}/${c.name}`;
  const listed = [...checks].sort(byKey(key));
  return {
    healthChecks: listed.map((c) => ({ apiVersion: c.apiVersion, kind: c.kind, name: c.name, ...(c.namespace ? { namespace: c.namespace } : {}) })),
    ...base,
  };
}
