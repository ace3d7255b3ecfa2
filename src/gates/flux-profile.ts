import * as semver from 'semver';
import { Release } from '../catalog/release';
import { FluxSettings, SourceKind } from '../fleet/fleet';

/**
 * What the Flux that reconciles the layers can do: the Kustomization API version and the
 * features dkp-fleet uses. Facts per kustomize-controller version are in
 * docs/facts/flux-features.md (read in fluxcd/kustomize-controller at each tag).
 */
export interface FluxProfile {
  /** Who runs the layers, for messages and the plan. */
  readonly description: string;
  readonly kustomizationApiVersion: 'kustomize.toolkit.fluxcd.io/v1' | 'kustomize.toolkit.fluxcd.io/v1beta2';
  /** `spec.healthCheckExprs` (CEL): kustomize-controller v1.5.0, API v1. */
  readonly healthCheckExprs: boolean;
  /** `spec.deletionPolicy`: kustomize-controller v1.5.0, API v1. */
  readonly deletionPolicy: boolean;
  /**
   * Value of the `kustomize.toolkit.fluxcd.io/ssa` annotation that keeps fields owned by
   * others: `merge` from v0.22.0 (exact match), `Merge` from v1.1.0 (any case).
   * @default - unsupported
   */
  readonly ssaMerge?: 'merge' | 'Merge';
  /** `dependsOn` waits for the dependency to be Ready at the same source revision (kustomize-controller v0.19.0). */
  readonly revisionLock: boolean;
  /** Source kinds `spec.sourceRef` accepts. */
  readonly sourceKinds: readonly SourceKind[];
}

/** The hub: a Flux ≥ 2.5 (kustomize-controller ≥ v1.5.0) on its own cluster (DESIGN §2). */
export const HUB_PROFILE: FluxProfile = {
  description: 'Flux >= 2.5 on the hub cluster',
  kustomizationApiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  healthCheckExprs: true,
  deletionPolicy: true,
  ssaMerge: 'Merge',
  revisionLock: true,
  sourceKinds: ['GitRepository', 'OCIRepository', 'Bucket'],
};

/** The Flux bundled with a DKP release, identified by its kustomize-controller version. */
export function kommanderProfile(release: Release): FluxProfile {
  const kc = semver.coerce(release.flux.kustomizeController)!.version;
  const at = (v: string) => semver.gte(kc, v);
  return {
    description: `Kommander's Flux ${release.flux.distribution} (kustomize-controller ${release.flux.kustomizeController}) from DKP ${release.version}`,
    kustomizationApiVersion: at('1.0.0') ? 'kustomize.toolkit.fluxcd.io/v1' : 'kustomize.toolkit.fluxcd.io/v1beta2',
    healthCheckExprs: at('1.5.0'),
    deletionPolicy: at('1.5.0'),
    ssaMerge: at('1.1.0') ? 'Merge' : at('0.22.0') ? 'merge' : undefined,
    revisionLock: at('0.19.0'),
    sourceKinds: at('0.30.0') ? ['GitRepository', 'OCIRepository', 'Bucket'] : ['GitRepository', 'Bucket'],
  };
}

/** The profile of the Flux that runs a fleet's layers. */
export function fluxProfile(flux: FluxSettings, current: Release | undefined): FluxProfile {
  if (flux.mode === 'hub') {
    return HUB_PROFILE;
  }
  if (current === undefined) {
    throw new Error('internal: kommander mode without a current release');
  }
  return kommanderProfile(current);
}
