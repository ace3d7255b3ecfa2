/**
 * The Flux objects a status snapshot holds, with the fields the status reads: Kustomizations and
 * sources (./snapshot.ts reads them from the text).
 */

/** The API group of Flux Kustomizations (kustomize's own `kustomize.config.k8s.io` Kustomization is not one). */
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
/** The API group of Flux sources (GitRepository, OCIRepository, Bucket, ...). */
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/** One condition of a Flux object's status (meta.Condition). */
export interface FluxCondition {
  readonly type: string;
  /** `True`, `False` or `Unknown`. */
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

/** A Flux Kustomization, with the fields the status reads. */
export interface FluxKustomization {
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** metadata.generation. @default - unknown */
  readonly generation?: number;
  /** spec.suspend. */
  readonly suspend: boolean;
  /** status.observedGeneration. @default - never reconciled */
  readonly observedGeneration?: number;
  /** status.lastAppliedRevision: the source revision of the last successful reconcile. */
  readonly lastAppliedRevision?: string;
  /** status.lastAttemptedRevision: the source revision of the last attempt. */
  readonly lastAttemptedRevision?: string;
  readonly conditions: readonly FluxCondition[];
  /** The line of the object in the snapshot. */
  readonly line?: number;
}

/** A Flux source (GitRepository, OCIRepository, Bucket), with the fields the status reads. */
export interface FluxSource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** status.artifact.revision: the revision source-controller serves now (`main@sha1:<40 hex>`, `main/<40 hex>` before source-controller v0.35). */
  readonly revision?: string;
  readonly conditions: readonly FluxCondition[];
  readonly line?: number;
}

/** The Flux objects of a snapshot, in the snapshot's order. */
export interface FluxSnapshot {
  readonly kustomizations: readonly FluxKustomization[];
  readonly sources: readonly FluxSource[];
}

/** The API group of `group/version` (`''` for `v1`). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}
