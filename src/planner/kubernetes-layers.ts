import { EMPTY_CONTENT, LayerScope, LayerTarget, VersionPatch } from './layer';
import { count, LayerBuilder } from './layer-builder';
import { templateRef } from './plan-konvoy';
import { KubernetesMove } from './resolve-kubernetes';
import { clusterApiVersions } from '../catalog/api-versions';
import { Release } from '../catalog/release';
import { KonvoyCluster } from '../fleet/fleet';

/** Where a cluster's Kubernetes layers go: their names, scope, target and predecessor. */
export interface KubernetesLayersAt {
  /** `mgmt` or `cluster-<name>`: the layers are `<prefix>-control-plane`, `<prefix>-node-pools`, `<prefix>-kubernetes`. */
  readonly prefix: string;
  readonly scope: LayerScope;
  readonly target: LayerTarget;
  /** The layer they follow. */
  readonly after: string;
  /** The input field the layer names are made from. */
  readonly nameField: string;
}

/**
 * Adds the Kubernetes version layers of a Konvoy cluster (DESIGN §1, 7-8 and 10-11): the
 * control plane, then the node pools; one layer for a ClusterClass cluster.
 *
 * @returns the cluster's last layer
 */
export function addKubernetesLayers(b: LayerBuilder, c: KonvoyCluster, move: KubernetesMove | undefined, release: Release, at: KubernetesLayersAt): string {
  const { prefix, scope, target, after, nameField } = at;
  const api = clusterApiVersions(release.capiContract);
  const to = move?.target ?? c.kubernetesVersion;
  const v = `v${to}`;
  if (c.topology) {
    const name = `${prefix}-kubernetes`;
    const patch: VersionPatch = { kind: 'Cluster', name: c.name, namespace: c.namespace, version: v };
    b.add({
      name,
      kind: 'kubernetes',
      scope,
      target,
      content: { ...EMPTY_CONTENT, versionPatches: [patch] },
      checks: [{ apiVersion: api.cluster, kind: 'Cluster', name: c.name, namespace: c.namespace, expect: { type: 'topology', version: v }, applied: true }],
      changes: [{ subject: `Cluster ${c.namespace}/${c.name} (topology)`, from: c.kubernetesVersion, to }],
      summary: `Kubernetes of ${c.name} (ClusterClass) ${c.kubernetesVersion} -> ${to}`,
      after: [after],
    }, nameField);
    return name;
  }
  const cp = `${prefix}-control-plane`;
  const tpl = (ref: typeof c.controlPlane.machineTemplate) => (ref === undefined ? undefined : templateRef(ref, c, release));
  const kcp: VersionPatch = {
    kind: 'KubeadmControlPlane', name: c.controlPlane.name, namespace: c.namespace, version: v, machineTemplate: tpl(c.controlPlane.machineTemplate),
  };
  const kcpId = `KubeadmControlPlane ${kcp.namespace}/${kcp.name}`;
  b.add({
    name: cp,
    kind: 'control-plane',
    scope,
    target,
    content: { ...EMPTY_CONTENT, versionPatches: [kcp] },
    checks: [{
      apiVersion: api.controlPlane, kind: 'KubeadmControlPlane', name: kcp.name, namespace: kcp.namespace,
      expect: { type: 'control-plane', version: v }, applied: true,
    }],
    changes: [
      { subject: kcpId, from: c.kubernetesVersion, to },
      ...(kcp.machineTemplate ? [{ subject: `${kcpId} machine template`, to: `${kcp.machineTemplate.kind} ${kcp.machineTemplate.name}` }] : []),
    ],
    summary: `control plane of ${c.name} ${c.kubernetesVersion} -> ${to}`,
    after: [after],
  }, nameField);
  const pools = c.nodePools.filter((p) => !p.removed);
  if (pools.length === 0) {
    return cp;
  }
  const np = `${prefix}-node-pools`;
  const patches: VersionPatch[] = pools.map((p) => ({
    kind: 'MachineDeployment', name: p.name, namespace: c.namespace, version: v, machineTemplate: tpl(p.machineTemplate),
  }));
  b.add({
    name: np,
    kind: 'node-pools',
    scope,
    target,
    content: { ...EMPTY_CONTENT, versionPatches: patches },
    checks: patches.map((p) => ({
      apiVersion: api.cluster, kind: 'MachineDeployment', name: p.name, namespace: p.namespace,
      expect: { type: 'machine-deployment', version: v }, applied: true,
    })),
    changes: patches.flatMap((p, i) => [
      { subject: `MachineDeployment ${c.namespace}/${p.name}`, from: pools[i].kubernetesVersion, to },
      ...(p.machineTemplate
        ? [{ subject: `MachineDeployment ${c.namespace}/${p.name} machine template`, to: `${p.machineTemplate.kind} ${p.machineTemplate.name}` }]
        : []),
    ]),
    summary: `${count(pools.length, 'node pool')} of ${c.name} -> ${to}`,
    after: [cp],
  }, nameField);
  return np;
}
