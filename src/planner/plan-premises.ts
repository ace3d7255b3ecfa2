import { HealthCheck } from './layer';
import { KubernetesMove } from './resolve-kubernetes';
import { clusterApiVersions } from '../catalog/api-versions';
import { Release } from '../catalog/release';
import { KonvoyCluster } from '../fleet/fleet';

/** `1.23.12` and `1.24.6` → `['v1.23.12', 'v1.24.6']`; one entry when they are the same. */
function versions(current: string, target: string): string[] {
  return [...new Set([`v${current}`, `v${target}`])];
}

/**
 * The premise of a Konvoy cluster's plan (issue: the fleet as it is): before its Kubernetes
 * layers change anything, its control plane and each node pool that moves are at the version
 * the fleet file gives (or already at the target, on a re-run); a ClusterClass cluster's
 * topology likewise. Removed pools are left alone and not checked.
 */
export function premiseChecks(c: KonvoyCluster, move: KubernetesMove | undefined, release: Release): HealthCheck[] {
  const api = clusterApiVersions(release.capiContract);
  const target = move?.target ?? c.kubernetesVersion;
  if (c.topology) {
    return [{
      apiVersion: api.cluster, kind: 'Cluster', name: c.name, namespace: c.namespace,
      expect: { type: 'premise', versions: versions(c.kubernetesVersion, target) }, applied: false,
    }];
  }
  return [
    {
      apiVersion: api.controlPlane, kind: 'KubeadmControlPlane', name: c.controlPlane.name, namespace: c.namespace,
      expect: { type: 'premise', versions: versions(c.kubernetesVersion, target) }, applied: false,
    },
    ...c.nodePools.filter((p) => !p.removed).map((p): HealthCheck => ({
      apiVersion: api.cluster, kind: 'MachineDeployment', name: p.name, namespace: c.namespace,
      expect: { type: 'premise', versions: versions(p.kubernetesVersion, target) }, applied: false,
    })),
  ];
}
