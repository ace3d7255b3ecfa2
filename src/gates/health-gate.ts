import { HealthCheckExpr, healthCheckExprs } from './cel';
import { FluxProfile } from './flux-profile';
import { HealthCheck } from '../planner/layer';

/** The health part of a layer's Kustomization spec. */
export interface HealthGate {
  /** Check every applied object (Flux ignores `healthChecks` then). */
  readonly wait?: true;
  /** Objects to check when the layer also watches objects it does not apply. */
  readonly healthChecks?: readonly { apiVersion: string; kind: string; name: string; namespace?: string }[];
  readonly healthCheckExprs?: readonly HealthCheckExpr[];
  /** Checks that only prove readiness, not that the upgrade finished: said in the plan. */
  readonly readyOnly: readonly HealthCheck[];
}

/** Is kstatus (Ready, generation observed, or mere existence) all the check expects? */
export function kstatusProves(c: HealthCheck): boolean {
  return c.expect.type === 'ready' || c.expect.type === 'exists';
}

/** A HelmRelease check whose chart version is unknown: only its readiness can be checked. */
export function chartVersionUnknown(c: HealthCheck): boolean {
  return c.expect.type === 'helm-release' && c.expect.chartVersion === undefined;
}

/**
 * Does the gate prove what the check expects? kstatus proves readiness and existence; an exact
 * expectation needs CEL, or a Job gate; a HelmRelease whose chart version is unknown can only
 * be checked for readiness.
 */
export function provesExpectation(c: HealthCheck, profile: FluxProfile, jobGate: boolean): boolean {
  if (kstatusProves(c)) return true;
  if (chartVersionUnknown(c)) return false;
  return profile.healthCheckExprs || jobGate;
}

/**
 * Chooses how a layer proves it is done (DESIGN §2): `wait: true` when it only checks what it
 * applies; `healthChecks` listing everything when it also watches objects it does not apply
 * (Flux ignores the list when `wait` is set; applied objects without a check, such as
 * AppDeployments, have no status to check); CEL expressions where the Flux has them.
 */
export function healthGate(checks: readonly HealthCheck[], profile: FluxProfile, jobGate = false): HealthGate {
  const readyOnly = checks.filter((c) => !provesExpectation(c, profile, jobGate));
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
  const listed = [...checks].sort((a, b) => `${a.kind}/${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.kind}/${b.namespace ?? ''}/${b.name}`));
  return {
    healthChecks: listed.map((c) => ({ apiVersion: c.apiVersion, kind: c.kind, name: c.name, ...(c.namespace ? { namespace: c.namespace } : {}) })),
    ...base,
  };
}
