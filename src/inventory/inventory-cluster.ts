import { PoolObject } from './cluster-objects';
import { INFRASTRUCTURE_KINDS, InvAttached, InvManaged, InvNodePool } from './model';
import { describe, field, SnapshotObject } from './snapshot';
import { getAlso, isMapping, key, keyOf, nsOf, SnapshotReader, str } from './snapshot-reader';
import { show } from '../input/problems';

/**
 * One cluster of the inventory, read from its objects: a managed cluster's infrastructure
 * provider, Kubernetes version, control plane and node pools; an attached cluster's version.
 */

/**
 * A managed cluster, from its Cluster, its KubeadmControlPlane (classic clusters) and its
 * MachineDeployments; undefined when a problem was recorded.
 */
export function managed(
  snap: SnapshotReader, c: SnapshotObject, kcps: ReadonlyMap<string, SnapshotObject>, pools: ReadonlyMap<string, PoolObject[]>,
): InvManaged | undefined {
  const before = snap.problems.count;
  snap.fleetName(c.name, c.at('metadata.name'), 'cluster');
  const kind = str(c, 'spec.infrastructureRef.kind');
  const provider = kind === undefined || !Object.prototype.hasOwnProperty.call(INFRASTRUCTURE_KINDS, kind) ? undefined : INFRASTRUCTURE_KINDS[kind];
  const kinds = Object.entries(INFRASTRUCTURE_KINDS).map(([k, p]) => `${k} (${p})`).join(', ');
  if (kind === undefined) {
    snap.add(c.at('spec.infrastructureRef'), `${describe(c)} has no spec.infrastructureRef.kind, which tells its infrastructure provider; `
      + `expected one of ${kinds}`);
  } else if (provider === undefined) {
    snap.add(c.at('spec.infrastructureRef.kind'), `${describe(c)} runs on ${show(kind)}, an infrastructure dkp-fleet does not upgrade; `
      + `known infrastructure kinds: ${kinds}`);
  }
  const topology = isMapping(field(c, 'spec.topology'));
  const notes: string[] = [];
  let version: string | undefined;
  let versionSource: string;
  let controlPlane: string | undefined;
  if (topology) {
    versionSource = `${describe(c)} spec.topology.version`;
    version = snap.version(c, 'spec.topology.version');
    if (version === undefined && field(c, 'spec.topology.version') === undefined) {
      snap.add(c.at('spec.topology'), `${describe(c)} is a ClusterClass cluster without spec.topology.version`);
    }
  } else {
    const ref = field(c, 'spec.controlPlaneRef');
    const refKind = str(c, 'spec.controlPlaneRef.kind');
    controlPlane = str(c, 'spec.controlPlaneRef.name');
    versionSource = `KubeadmControlPlane ${key(nsOf(c), controlPlane ?? `${c.name}-control-plane`)}`;
    if (!isMapping(ref) || controlPlane === undefined) {
      snap.add(c.at('spec'), `${describe(c)} has no spec.controlPlaneRef (and no spec.topology); dkp-fleet upgrades clusters through their `
        + 'KubeadmControlPlane or their topology');
    } else if (refKind !== undefined && refKind !== 'KubeadmControlPlane') {
      snap.add(c.at('spec.controlPlaneRef.kind'), `${describe(c)} has a ${show(refKind)} control plane; `
        + 'dkp-fleet upgrades KubeadmControlPlane control planes only');
    } else {
      const namespace = str(c, 'spec.controlPlaneRef.namespace') ?? nsOf(c);
      const kcp = kcps.get(key(namespace, controlPlane));
      versionSource = `KubeadmControlPlane ${key(namespace, controlPlane)}`;
      if (kcp === undefined) {
        snap.add(c.at('spec.controlPlaneRef.name'), `${versionSource}, the control plane of ${describe(c)}, is not in the snapshot; `
          + getAlso('kubeadmcontrolplanes.controlplane.cluster.x-k8s.io'));
      } else {
        snap.fleetName(controlPlane, kcp.at('metadata.name'), 'control plane');
        version = snap.version(kcp, 'spec.version');
        if (version === undefined && field(kcp, 'spec.version') === undefined) {
          snap.add(kcp.at('spec'), `${describe(kcp)} has no spec.version, the cluster's Kubernetes version`);
        }
      }
    }
  }
  const nodePools: InvNodePool[] = [];
  for (const { md, owned } of pools.get(keyOf(c)) ?? []) {
    if (owned) continue;
    if (topology) {
      snap.leftOut.push(`${describe(md)}: ClusterClass cluster ${c.name} has it outside its topology; dkp-fleet upgrades ClusterClass clusters `
        + 'through spec.topology.version only');
      continue;
    }
    if (!snap.fleetName(md.name, md.at('metadata.name'), 'node pool')) continue;
    const v = snap.version(md, 'spec.template.spec.version');
    const poolNotes: string[] = [];
    if (v === undefined && field(md, 'spec.template.spec.version') === undefined) {
      poolNotes.push(`inferred: ${describe(md)} has no spec.template.spec.version; taken as the control plane's`);
    }
    nodePools.push({ name: md.name, version: v ?? version ?? '', source: keyOf(md), notes: poolNotes });
  }
  if (snap.problems.count > before || version === undefined || provider === undefined) return undefined;
  return {
    type: 'managed',
    name: c.name,
    provider,
    namespace: nsOf(c),
    topology,
    version,
    versionSource,
    ...(controlPlane === undefined ? {} : { controlPlane }),
    nodePools,
    source: `Cluster ${keyOf(c)}`,
    notes,
  };
}

/** An attached cluster, from its KommanderCluster; undefined when a problem was recorded. */
export function attached(snap: SnapshotReader, kc: SnapshotObject): InvAttached | undefined {
  if (!snap.fleetName(kc.name, kc.at('metadata.name'), 'cluster')) return undefined;
  const raw = field(kc, 'status.kubernetesVersion');
  if (typeof raw !== 'string' || raw === '') {
    snap.add(kc.at(raw === undefined ? 'status' : 'status.kubernetesVersion'), `${describe(kc)} is an attached cluster (no spec.clusterRef.capiCluster) `
      + 'without status.kubernetesVersion, its Kubernetes version; take the snapshot once Kommander has connected the cluster, or write the version '
      + 'into the snapshot');
    return undefined;
  }
  // Managed Kubernetes services report builds such as v1.21.14-eks-18ef993: the fleet wants the release.
  const m = /^v?(\d+\.\d+\.\d+)([-+].*)?$/.exec(raw);
  const notes: string[] = [];
  let version: string | undefined;
  if (m !== null && m[2] !== undefined) {
    version = snap.checkVersion(m[1], kc.at('status.kubernetesVersion'));
    notes.push(`inferred: ${describe(kc)} reports Kubernetes ${show(raw)}; taken as ${m[1]}`);
  } else {
    version = snap.version(kc, 'status.kubernetesVersion');
  }
  if (version === undefined) return undefined;
  return { type: 'attached', name: kc.name, version, versionSource: describe(kc), source: describe(kc), notes };
}
