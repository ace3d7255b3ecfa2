import { fluxProfile, FluxProfile } from './flux-profile';
import { checksForJob, healthGate, HealthGate } from './health-gate';
import { jobGateSpec, JobGateSpec } from './job-gate-spec';
import { budgetScript, rolloutReads, soakScript } from './rollout-gates';
import { FleetError, Problem } from '../input/problems';
import { HealthCheck, Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/** How the layers are gated, decided before any object is built: the Flux that runs the layers and each layer's gate. */
export interface GatePlan {
  readonly profile: FluxProfile;
  /** Health gate of each layer, by layer name. */
  readonly healthGates: ReadonlyMap<string, HealthGate>;
  /** Job gates, by layer name (Flux without CEL, with a gateImage). */
  readonly jobGates: ReadonlyMap<string, JobGateSpec>;
}

/**
 * Refuses a plan that needs a feature the reconciling Flux lacks (kommander mode runs on the
 * old Flux Kommander bundles: docs/facts/flux-features.md).
 */
function checkFluxSupport(plan: Plan, profile: FluxProfile): Problem[] {
  const problems: Problem[] = [];
  const flux = plan.fleet.flux;
  if (!profile.sourceKinds.includes(flux.sourceRef.kind)) {
    problems.push({ path: 'spec.flux.sourceRef.kind', message: `${flux.sourceRef.kind} is not supported by ${profile.description}; `
      + `it accepts ${profile.sourceKinds.join(', ')}` });
  }
  if (plan.fleet.rollout.hold.length > 0 && !profile.revisionLock) {
    problems.push({ path: 'spec.rollout.hold', message: `${profile.description} has no revision lock in dependsOn (kustomize-controller v0.19.0): `
      + 'a held layer keeps its Ready from the last upgrade, and the layers after it would start on it; hold nothing with this Flux, or use hub mode' });
  }
  const patching = plan.layers.filter((l) => l.content.versionPatches.length > 0);
  if (patching.length > 0 && profile.ssaMerge === undefined) {
    problems.push({ path: 'spec.flux.mode', message: `kommander mode cannot run the Kubernetes layers (${patching[0].name}, ...): ${profile.description} `
      + 'lacks the kustomize.toolkit.fluxcd.io/ssa: merge annotation (kustomize-controller v0.22.0), without which Flux would take over '
      + 'fields of KubeadmControlPlane and MachineDeployment objects it does not own; use hub mode, or set spec.konvoy.enabled: false' });
  }
  return problems;
}

/**
 * A Job gate for a layer with checks only a Job proves exactly (no CEL in this Flux, or CEL that
 * cannot see enough), when the fleet names a `gateImage` (DESIGN §2). It runs on the layer's
 * target cluster: on the management cluster in the Flux namespace (kommander mode) or in the
 * namespace of the objects it checks (hub mode, where that cluster may have no Flux namespace);
 * on a workspace cluster in the workspace namespace.
 */
function jobGateFor(layer: Layer, plan: Plan, profile: FluxProfile): JobGateSpec | undefined {
  const image = plan.fleet.flux.gateImage;
  const g = layer.rolloutGate;
  if (g !== undefined) {
    if (image === undefined) throw new Error(`internal: ${layer.name} needs a gate image`); // refused in cross-checks.ts
    const source = plan.fleet.flux.sourceRef;
    const script = g.type === 'soak' ? soakScript(g, source) : budgetScript(g, source);
    // No retries: its verdict is final (a failure stays a failure; a soak keeps its clock only in its one pod).
    return jobGateSpec({
      namespace: plan.fleet.flux.namespace, name: `dkp-fleet-gate-${layer.name}`, image, checks: [], own: { script, reads: rolloutReads(g, source) },
      backoffLimit: 0,
    });
  }
  const needs = checksForJob(layer.checks, profile);
  if (image === undefined || needs.length === 0) return undefined;
  const scope = layer.scope;
  let namespace: string;
  if (!layer.target.management) {
    namespace = plan.fleet.workspaces.find((w) => scope.type === 'cluster' && w.name === scope.workspace)!.namespace;
  } else if (plan.fleet.flux.mode === 'kommander') {
    namespace = plan.fleet.flux.namespace;
  } else {
    namespace = needs.find((c) => c.namespace !== undefined)?.namespace ?? plan.fleet.flux.namespace;
  }
  return jobGateSpec({ namespace, name: `dkp-fleet-gate-${layer.name}`, image, checks: needs });
}

/**
 * Decides the Flux profile and every layer's gate.
 *
 * @throws FleetError when the reconciling Flux cannot run the plan
 */
export function planGates(plan: Plan): GatePlan {
  const profile = fluxProfile(plan.fleet.flux, plan.currentRelease);
  const unsupported = checkFluxSupport(plan, profile);
  if (unsupported.length > 0) {
    throw new FleetError(unsupported);
  }
  const jobGates = new Map<string, JobGateSpec>();
  const healthGates = new Map(plan.layers.map((l) => {
    const job = jobGateFor(l, plan, profile);
    if (job === undefined) return [l.name, healthGate(l.checks, profile)];
    jobGates.set(l.name, job);
    const jobCheck: HealthCheck = {
      apiVersion: 'batch/v1', kind: 'Job', name: job.jobName, namespace: job.namespace, expect: { type: 'ready' }, applied: true,
    };
    return [l.name, healthGate([...l.checks, jobCheck], profile, new Set(job.checks))];
  }));
  return { profile, healthGates, jobGates };
}
