import { describe, field, SnapshotObject } from './snapshot';
import { getAlso, isMapping, key, keyOf, nsOf, SnapshotReader, str } from './snapshot-reader';
import { MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';
import { compareStrings } from '../input/compare';
import { show } from '../input/problems';

/**
 * How the snapshot's Cluster API and Kommander objects belong together: the MachineDeployments of
 * each Cluster, the Cluster each KommanderCluster references, and which Cluster is the management
 * cluster.
 */

/** Namespace DKP creates the management cluster's Cluster API objects in. */
const MANAGEMENT_CAPI_NAMESPACE = 'default';

/** A MachineDeployment, and whether a ClusterClass topology owns it. */
export interface PoolObject {
  md: SnapshotObject;
  owned: boolean;
}

/** A KommanderCluster, and the Cluster API Cluster it references (none: an attached cluster). */
export interface KommanderClusterObject {
  object: SnapshotObject;
  capi?: SnapshotObject;
}

/** The management cluster's Cluster, its KommanderCluster, and how it was told (when it was inferred). */
export interface ManagementObjects {
  cluster: SnapshotObject;
  kommanderCluster?: SnapshotObject;
  note?: string;
}

/** MachineDeployments by cluster (`namespace/cluster`), sorted by name; those a topology owns are left out. */
export function machineDeployments(snap: SnapshotReader, clusters: ReadonlyMap<string, SnapshotObject>): Map<string, PoolObject[]> {
  const out = new Map<string, PoolObject[]>();
  for (const md of snap.all('MachineDeployment')) {
    const labels = field(md, 'metadata.labels');
    const labelled = isMapping(labels) ? labels['cluster.x-k8s.io/cluster-name'] : undefined;
    const label = typeof labelled === 'string' && labelled !== '' ? labelled : undefined;
    const cluster = str(md, 'spec.clusterName') ?? label;
    if (cluster === undefined) {
      snap.add(md.at('spec'), `${describe(md)} names no cluster (neither spec.clusterName nor label cluster.x-k8s.io/cluster-name)`);
      continue;
    }
    if (!clusters.has(key(nsOf(md), cluster))) {
      snap.add(md.at(str(md, 'spec.clusterName') !== undefined ? 'spec.clusterName' : 'metadata.labels'), `${describe(md)} belongs to cluster `
        + `${show(cluster)}, which is not in the snapshot (no Cluster ${key(nsOf(md), cluster)}); ${getAlso('clusters.cluster.x-k8s.io')}`);
      continue;
    }
    const owned = isMapping(labels) && Object.prototype.hasOwnProperty.call(labels, 'topology.cluster.x-k8s.io/owned');
    const k = key(nsOf(md), cluster);
    out.set(k, [...(out.get(k) ?? []), { md, owned }]);
  }
  for (const list of out.values()) list.sort((a, b) => compareStrings(a.md.name, b.md.name));
  return out;
}

/** The KommanderClusters, each with the Cluster API Cluster it references, sorted by `namespace/name`. */
export function kommanderClusters(snap: SnapshotReader, clusters: ReadonlyMap<string, SnapshotObject>): KommanderClusterObject[] {
  const out: KommanderClusterObject[] = [];
  for (const kc of snap.all('KommanderCluster')) {
    const ref = field(kc, 'spec.clusterRef.capiCluster');
    if (!isMapping(ref)) {
      out.push({ object: kc });
      continue;
    }
    const name = typeof ref.name === 'string' ? ref.name : undefined;
    const namespace = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : nsOf(kc);
    if (name === undefined) {
      snap.add(kc.at('spec.clusterRef.capiCluster'), `${describe(kc)} references a Cluster API Cluster without a name`);
      continue;
    }
    const capi = clusters.get(key(namespace, name));
    if (capi === undefined) {
      snap.add(kc.at('spec.clusterRef.capiCluster.name'), `${describe(kc)} references Cluster ${key(namespace, name)}, which is not in the snapshot; `
        + getAlso('clusters.cluster.x-k8s.io'));
      continue;
    }
    out.push({ object: kc, capi });
  }
  return out.sort((a, b) => compareStrings(keyOf(a.object), keyOf(b.object)));
}

/**
 * The management cluster: the Cluster API Cluster of the KommanderCluster in namespace
 * `kommander` (the host cluster); without that reference, the only Cluster in namespace
 * `default` no other KommanderCluster references.
 */
export function managementCluster(
  snap: SnapshotReader, clusters: ReadonlyMap<string, SnapshotObject>, kcs: readonly KommanderClusterObject[],
): ManagementObjects | undefined {
  const hosts = kcs.filter((k) => nsOf(k.object) === MANAGEMENT_WORKSPACE_NAMESPACE);
  // A host whose reference is broken was reported already: guessing another management cluster would mislead.
  const broken = snap.all('KommanderCluster').some((kc) => nsOf(kc) === MANAGEMENT_WORKSPACE_NAMESPACE && !kcs.some((k) => k.object === kc));
  if (broken) return undefined;
  if (hosts.length > 1) {
    for (const h of hosts.slice(1)) {
      snap.add(h.object.at('metadata.name'), `two management candidates: ${describe(hosts[0].object)} and ${describe(h.object)} are both in namespace `
        + `${MANAGEMENT_WORKSPACE_NAMESPACE}, where only the host cluster's KommanderCluster lives; remove the one that is not the management cluster `
        + 'from the snapshot');
    }
    return undefined;
  }
  const host = hosts[0];
  if (host?.capi !== undefined) return { cluster: host.capi, kommanderCluster: host.object };
  // Every reference counts, also one to a Cluster the snapshot lacks (that is a problem of its own).
  const referenced = new Set(snap.all('KommanderCluster').map(capiRef).filter((r) => r !== undefined));
  const candidates = [...clusters.values()].filter((c) => nsOf(c) === MANAGEMENT_CAPI_NAMESPACE && !referenced.has(keyOf(c)))
    .sort((a, b) => compareStrings(a.name, b.name));
  const why = host === undefined
    ? `the snapshot has no KommanderCluster in namespace ${MANAGEMENT_WORKSPACE_NAMESPACE} (the host cluster)`
    : `${describe(host.object)} (the host cluster) has no spec.clusterRef.capiCluster`;
  const fix = host === undefined
    ? getAlso('kommanderclusters.kommander.mesosphere.io')
    : `in the snapshot, set spec.clusterRef.capiCluster {name, namespace} of ${describe(host.object)} to the management cluster's Cluster`;
  const where = host?.object.at('spec') ?? { path: '(document)' };
  if (candidates.length === 1) {
    return {
      cluster: candidates[0],
      kommanderCluster: host?.object,
      note: `inferred: the management cluster is Cluster ${keyOf(candidates[0])}: ${why}, and it is the only Cluster in namespace `
        + `${MANAGEMENT_CAPI_NAMESPACE} that no other KommanderCluster references`,
    };
  }
  if (candidates.length === 0) {
    snap.add(where, `no management cluster: ${why}, and every Cluster in namespace ${MANAGEMENT_CAPI_NAMESPACE} (where DKP creates it) `
      + `is another KommanderCluster's or there is none; ${fix}`);
  } else {
    snap.add(where, `two management candidates: ${why}, and ${candidates.map((c) => `Cluster ${keyOf(c)}`).join(', ')} are all in namespace `
      + `${MANAGEMENT_CAPI_NAMESPACE} without a KommanderCluster; ${fix}`);
  }
  return undefined;
}

/** `namespace/name` of the Cluster API Cluster a KommanderCluster references (its own namespace by default). */
function capiRef(kc: SnapshotObject): string | undefined {
  const ref = field(kc, 'spec.clusterRef.capiCluster');
  if (!isMapping(ref) || typeof ref.name !== 'string') return undefined;
  return key(typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : nsOf(kc), ref.name);
}
