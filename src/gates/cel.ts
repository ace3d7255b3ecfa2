import { Expectation, HealthCheck } from '../planner/layer';

/**
 * CEL health expressions (Flux `spec.healthCheckExprs`, kustomize-controller ≥ v1.5.0) that
 * make a check pass only when the upgrade has finished, not merely when the object is Ready.
 *
 * Each expression guards every field with `has()`: an object the controller has not yet
 * touched has no status, and an unguarded field would be an evaluation error. Field names
 * follow the status schemas of the CRDs in ../shared/crds (and, for Kommander's HelmReleases,
 * helm-controller v2beta1: docs/facts/flux-features.md).
 */
export interface HealthCheckExpr {
  readonly apiVersion: string;
  readonly kind: string;
  readonly current: string;
  readonly failed?: string;
}

const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const condition = (type: string, status: string) =>
  `has(status.conditions) && status.conditions.exists(c, c.type == ${str(type)} && c.status == ${str(status)})`;
const generationObserved = 'has(status.observedGeneration) && status.observedGeneration == metadata.generation';

/**
 * A value that depends on the object: a literal when every object shares it, else a map
 * keyed by `namespace/name`.
 */
function perObject(checks: readonly HealthCheck[], value: (c: HealthCheck) => string): string {
  const values = new Map(checks.map((c) => [`${c.namespace ?? ''}/${c.name}`, value(c)]));
  const distinct = new Set(values.values());
  if (distinct.size === 1) {
    return [...distinct][0];
  }
  const entries = [...values.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${str(k)}: ${v}`);
  return `{${entries.join(', ')}}[(has(metadata.namespace) ? metadata.namespace : '') + '/' + metadata.name]`;
}

/** HelmRelease (Kommander's, helm-controller v2beta1+): Ready at the new chart version. */
function helmRelease(checks: readonly HealthCheck[]): Pick<HealthCheckExpr, 'current' | 'failed'> {
  const versions = (c: HealthCheck) => {
    const v = (c.expect as { chartVersion?: string }).chartVersion;
    if (v === undefined) return '[]';
    const bare = v.replace(/^v/, '');
    return `[${str(bare)}, ${str(`v${bare}`)}]`;
  };
  const known = checks.filter((c) => (c.expect as { chartVersion?: string }).chartVersion !== undefined);
  const allKnown = known.length === checks.length;
  const expected = perObject(checks, versions);
  const at = (field: string) => `has(status.${field}) && status.${field} in ${expected}`;
  // Objects whose chart version is unknown pass on Ready alone (the plan labels them ready-only).
  const versionClause = allKnown ? at('lastAppliedRevision') : `(${expected} == [] || ${at('lastAppliedRevision')})`;
  return {
    current: `${condition('Ready', 'True')} && ${versionClause}`,
    failed: `has(status.conditions) && status.conditions.exists(c, c.type == 'Ready' && c.status == 'False' && `
      + `c.reason in ['InstallFailed', 'UpgradeFailed', 'ArtifactFailed', 'ReconciliationFailed']) && ${at('lastAttemptedRevision')}`,
  };
}

function exprFor(kind: Expectation['type'], checks: readonly HealthCheck[]): Pick<HealthCheckExpr, 'current' | 'failed'> | undefined {
  const version = (c: HealthCheck) => str((c.expect as { version: string }).version);
  switch (kind) {
    case 'ready':
    case 'exists':
      return undefined;
    case 'helm-release':
      return helmRelease(checks);
    case 'backup-completed':
      // velero.io/v1 Backup: status.phase (New, InProgress, Completed, PartiallyFailed, Failed, FailedValidation, ...).
      return {
        current: "has(status.phase) && status.phase == 'Completed'",
        failed: "has(status.phase) && status.phase in ['Failed', 'PartiallyFailed', 'FailedValidation']",
      };
    case 'control-plane':
      // KubeadmControlPlane v1beta1: status.version is the lowest version of its machines.
      return {
        current: `${generationObserved} && has(status.version) && status.version == ${perObject(checks, version)}`
          + ' && has(status.updatedReplicas) && has(status.readyReplicas) && has(spec.replicas)'
          + ' && status.updatedReplicas == spec.replicas && status.readyReplicas == spec.replicas'
          + ' && (!has(status.unavailableReplicas) || status.unavailableReplicas == 0)',
      };
    case 'machine-deployment':
      // MachineDeployment v1beta1: every desired replica updated to the template (version included) and ready.
      return {
        current: `${generationObserved} && has(spec.replicas) && has(status.updatedReplicas) && has(status.readyReplicas) && has(status.replicas)`
          + ' && status.updatedReplicas == spec.replicas && status.readyReplicas == spec.replicas && status.replicas == spec.replicas'
          + ' && (!has(status.unavailableReplicas) || status.unavailableReplicas == 0)',
        failed: "has(status.phase) && status.phase == 'Failed'",
      };
    case 'topology':
      // Cluster v1beta1 (ClusterClass): the topology controller reports TopologyReconciled once
      // control plane and workers carry spec.topology.version.
      return {
        current: `${generationObserved} && has(spec.topology) && spec.topology.version == ${perObject(checks, version)}`
          + ` && ${condition('TopologyReconciled', 'True')} && ${condition('Ready', 'True')}`,
      };
    case 'provider':
      // cluster-api-operator v1alpha2 providers.
      return {
        current: `${generationObserved} && has(status.installedVersion) && has(spec.version) `
          + `&& status.installedVersion == spec.version && ${condition('Ready', 'True')}`,
      };
    case 'helm-chart-proxy':
      // CAAPH v1alpha1: a proxy whose selector matches no cluster is Ready too; require exactly the one cluster.
      return { current: `${generationObserved} && ${condition('Ready', 'True')} && has(status.matchingClusters) && size(status.matchingClusters) == 1` };
    case 'resource-set':
      // ClusterResourceSet v1beta1: ResourcesApplied once its resources reached every selected cluster.
      return { current: `${generationObserved} && ${condition('ResourcesApplied', 'True')}` };
  }
  return undefined;
}

/**
 * One expression per object kind for a layer's checks (Flux matches by API group and kind;
 * a kind appears once per Kustomization).
 */
export function healthCheckExprs(checks: readonly HealthCheck[]): HealthCheckExpr[] {
  const byKind = new Map<string, HealthCheck[]>();
  for (const c of checks) {
    const key = `${c.apiVersion}|${c.kind}`;
    byKind.set(key, [...(byKind.get(key) ?? []), c]);
  }
  const out: HealthCheckExpr[] = [];
  for (const [key, group] of [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const types = new Set(group.map((c) => c.expect.type));
    if (types.size !== 1) {
      throw new Error(`internal: checks of ${key} expect different things: ${[...types].join(', ')}`);
    }
    const e = exprFor([...types][0], group);
    if (e) {
      const [apiVersion, kind] = key.split('|');
      out.push({ apiVersion, kind, ...e });
    }
  }
  return out;
}
