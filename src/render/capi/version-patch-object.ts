import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { VersionPatch } from '../../planner/layer';

/** Annotations every Cluster API object dkp-fleet emits carries (DESIGN §3). */
export const CAPI_PRUNE_PROTECTION = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } as const;

/** Properties of a {@link VersionPatchObject}. */
export interface VersionPatchObjectProps {
  readonly patch: VersionPatch;
  /** Cluster API contract version of the objects, e.g. `v1beta1`. */
  readonly contract: string;
  /** Value of the Flux `ssa` annotation that keeps fields owned by others (`Merge`/`merge`). */
  readonly ssaMerge: string;
}

/**
 * A partial KubeadmControlPlane, MachineDeployment or Cluster that sets only the Kubernetes
 * version. Applied with server-side apply onto the existing object: `ssa: Merge` keeps every
 * field owned by others, and `prune: disabled` means Flux never deletes a cluster's object.
 */
export class VersionPatchObject extends Construct {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: VersionPatchObjectProps) {
    super(scope, id);
    const { patch } = props;
    const metadata = {
      name: patch.name,
      namespace: patch.namespace,
      annotations: { ...CAPI_PRUNE_PROTECTION, 'kustomize.toolkit.fluxcd.io/ssa': props.ssaMerge },
    };
    let apiVersion: string;
    let spec: Record<string, unknown>;
    switch (patch.kind) {
      case 'KubeadmControlPlane':
        apiVersion = `controlplane.cluster.x-k8s.io/${props.contract}`;
        spec = { version: patch.version };
        break;
      case 'MachineDeployment':
        apiVersion = `cluster.x-k8s.io/${props.contract}`;
        spec = { template: { spec: { version: patch.version } } };
        break;
      case 'Cluster':
        apiVersion = `cluster.x-k8s.io/${props.contract}`;
        spec = { topology: { version: patch.version } };
        break;
    }
    this.apiObject = new ApiObject(this, 'Resource', { apiVersion, kind: patch.kind, metadata, spec });
  }
}
