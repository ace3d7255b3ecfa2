import { RBAC_GROUP } from './access-plan';
import { Target, target } from './rule-set';
import { clusterApiVersions, CLUSTER_RESOURCE_SET_API_VERSION, HELM_CHART_PROXY_API_VERSION, PROVIDER_API_VERSION } from '../catalog/api-versions';
import { JobGateSpec } from '../gates/job-gate-spec';
import { compareStrings } from '../input/compare';
import { Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/** The objects a layer applies, with what Flux's apply and prune need of each, and the Roles of its Job gate. */

/** How Flux applies one object: always `patch`; `create` unless it must exist; `delete` where pruning can remove it. */
export interface Applied extends Target {
  /** The object must exist before the layer runs (a partial object, a provider the preflight proves): Flux must never create it. */
  readonly mustExist: boolean;
  /** Carries `kustomize.toolkit.fluxcd.io/prune: disabled` (every Cluster API object, and a ClusterResourceSet's ConfigMap). */
  readonly pruneDisabled: boolean;
}

/**
 * The objects a layer's folder holds, as its constructs render them (src/constructs/, charts/layer-chart.ts),
 * with the gate's objects (constructs/gates/job-gate.ts).
 */
export function appliedObjects(layer: Layer, plan: Plan, gate: JobGateSpec | undefined): Applied[] {
  const c = layer.content;
  const capi = clusterApiVersions(plan.release.capiContract);
  const out: Applied[] = [];
  const add = (t: Target, mustExist: boolean, pruneDisabled: boolean) => out.push({ ...t, mustExist, pruneDisabled });
  for (const a of c.appDeployments) add(target(plan.release.kommander.appDeploymentApiVersion, 'AppDeployment', a.name, a.namespace), false, false);
  for (const p of c.versionPatches) {
    add(target(p.kind === 'KubeadmControlPlane' ? capi.controlPlane : capi.cluster, p.kind, p.name, p.namespace), true, true);
  }
  // mgmt-preflight proves each provider object exists: creating one would run the operator's install path over clusterctl's providers
  for (const p of c.providers) add(target(PROVIDER_API_VERSION, p.kind, p.name, p.namespace), true, true);
  for (const h of c.helmChartProxies) add(target(HELM_CHART_PROXY_API_VERSION, 'HelmChartProxy', h.name, h.namespace), false, true);
  for (const s of c.clusterResourceSets) {
    add(target(CLUSTER_RESOURCE_SET_API_VERSION, 'ClusterResourceSet', s.name, s.namespace), false, true);
    if (Object.keys(s.data).length > 0) add(target('v1', 'ConfigMap', s.name, s.namespace), false, true);
  }
  if (gate !== undefined) {
    add(target('batch/v1', 'Job', gate.jobName, gate.namespace), false, false);
    add(target('v1', 'ServiceAccount', gate.name, gate.namespace), false, false);
    for (const ns of gateNamespaces(gate)) {
      if (ns === undefined) {
        add(target(`${RBAC_GROUP}/v1`, 'ClusterRole', `${gate.name}-${gate.namespace}`), false, false);
        add(target(`${RBAC_GROUP}/v1`, 'ClusterRoleBinding', `${gate.name}-${gate.namespace}`), false, false);
      } else {
        add(target(`${RBAC_GROUP}/v1`, 'Role', gate.name, ns), false, false);
        add(target(`${RBAC_GROUP}/v1`, 'RoleBinding', gate.name, ns), false, false);
      }
    }
  }
  return out;
}

/** The namespaces a gate reads in (`undefined`: cluster-scoped reads), sorted: one Role each (constructs/gates/job-gate.ts). */
export function gateNamespaces(gate: JobGateSpec): (string | undefined)[] {
  const set = new Set(gate.reads.map((r) => r.namespace ?? ''));
  return [...set].sort(compareStrings).map((ns) => (ns === '' ? undefined : ns));
}
