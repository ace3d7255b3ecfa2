import { ApiObjectMetadata } from 'cdk8s';

/**
 * Flux never deletes an object carrying this annotation (kustomize-controller ≥ v0.8.0;
 * docs/facts/flux-features.md). Every Cluster API object dkp-fleet emits carries it: pruning
 * a Cluster API object deletes machines, providers or addons (DESIGN §3).
 */
export const PRUNE_DISABLED = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } as const;
const PRUNE_KEY = 'kustomize.toolkit.fluxcd.io/prune';

/** API groups of the Cluster API family: what must never be pruned. */
export function isClusterApiGroup(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === 'cluster.x-k8s.io' || group.endsWith('.cluster.x-k8s.io') || group.endsWith('.cluster.konvoy.d2iq.io');
}

/** Metadata of a Cluster API object: the given fields plus prune protection. */
export function protectedMetadata(metadata: ApiObjectMetadata): ApiObjectMetadata {
  return { ...metadata, annotations: { ...metadata.annotations, ...PRUNE_DISABLED } };
}

/**
 * Fails when an object of the Cluster API family (or one a Cluster API object depends on,
 * marked by the caller) lacks prune protection. Run on every rendered object, so no renderer
 * can forget it.
 */
export function assertPruneProtected(objects: readonly Record<string, any>[]): void {
  for (const o of objects) {
    if (isClusterApiGroup(String(o.apiVersion)) && o.metadata?.annotations?.[PRUNE_KEY] !== PRUNE_DISABLED[PRUNE_KEY]) {
      throw new Error(`internal: ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name} would be emitted without prune protection`);
    }
  }
}
