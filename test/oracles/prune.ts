/**
 * Prune protection, judged by the test's own list (DESIGN §3: "every object that Flux must never
 * delete (anything CAPI) carries the prune-disabled annotation"; README "What dkp-fleet writes,
 * watches and deletes"), independent of src's isClusterApiGroup: every object of a Cluster API group,
 * and every ConfigMap or Secret a ClusterResourceSet applies (pruning it would break the set: Cluster
 * API reapplies, or fails on, what it names), carries `kustomize.toolkit.fluxcd.io/prune: disabled`.
 */

/** The API groups of the Cluster API family, written out (cluster-api, its providers, the operator and CAAPH). */
export const CLUSTER_API_GROUPS: readonly string[] = [
  'cluster.x-k8s.io',
  'controlplane.cluster.x-k8s.io',
  'bootstrap.cluster.x-k8s.io',
  'infrastructure.cluster.x-k8s.io',
  'addons.cluster.x-k8s.io',
  'operator.cluster.x-k8s.io',
  'ipam.cluster.x-k8s.io',
  'runtime.cluster.x-k8s.io',
  'clusterctl.cluster.x-k8s.io',
  'infrastructure.cluster.konvoy.d2iq.io',
];

const PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

const groupOf = (apiVersion: unknown) => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export interface PruneReport {
  /** One line per object that lacks the annotation. */
  readonly violations: string[];
  /** How many objects had to carry it: Cluster API objects, and ClusterResourceSet ConfigMaps and Secrets. */
  readonly capi: number;
  readonly resourceSetData: number;
}

/** Checks every object of an output (by file path) for prune protection. */
export function pruneProtection(objects: readonly { readonly file: string; readonly object: Record<string, any> }[]): PruneReport {
  const violations: string[] = [];
  const key = (kind: string, namespace: unknown, name: unknown) => `${kind}/${String(namespace ?? '')}/${String(name)}`;
  // What each ClusterResourceSet applies, in its own namespace.
  const applied = new Set<string>();
  for (const { object: o } of objects) {
    if (groupOf(o.apiVersion) !== 'addons.cluster.x-k8s.io' || o.kind !== 'ClusterResourceSet') continue;
    for (const r of o.spec?.resources ?? []) applied.add(key(r.kind, o.metadata?.namespace, r.name));
  }
  let capi = 0;
  let resourceSetData = 0;
  for (const { file, object: o } of objects) {
    const isCapi = CLUSTER_API_GROUPS.includes(groupOf(o.apiVersion));
    const isSetData = o.apiVersion === 'v1' && applied.has(key(o.kind, o.metadata?.namespace, o.metadata?.name));
    if (!isCapi && !isSetData) continue;
    if (isCapi) capi++;
    else resourceSetData++;
    if (o.metadata?.annotations?.[PRUNE] !== 'disabled') {
      violations.push(`${file}: ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name} lacks ${PRUNE}: disabled`);
    }
  }
  return { violations, capi, resourceSetData };
}
