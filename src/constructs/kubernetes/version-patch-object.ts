import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterApiVersions } from '../../catalog/api-versions';
import { TemplateRef, VersionPatch } from '../../planner/layer';
import { protectedMetadata } from '../capi/capi-object';

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
    const metadata = protectedMetadata({ name: patch.name, namespace: patch.namespace, annotations: { 'kustomize.toolkit.fluxcd.io/ssa': props.ssaMerge } });
    // The reference is atomic under server-side apply: it is written whole.
    const ref = (t: TemplateRef) => ({ infrastructureRef: { apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace: t.namespace } });
    const api = clusterApiVersions(props.contract);
    let apiVersion: string;
    let spec: Record<string, unknown>;
    switch (patch.kind) {
      case 'KubeadmControlPlane':
        apiVersion = api.controlPlane;
        spec = { version: patch.version, ...(patch.machineTemplate ? { machineTemplate: ref(patch.machineTemplate) } : {}) };
        break;
      case 'MachineDeployment':
        apiVersion = api.cluster;
        spec = { template: { spec: { version: patch.version, ...(patch.machineTemplate ? ref(patch.machineTemplate) : {}) } } };
        break;
      case 'Cluster':
        apiVersion = api.cluster;
        spec = { topology: { version: patch.version } };
        break;
    }
    this.apiObject = new ApiObject(this, 'Resource', { apiVersion, kind: patch.kind, metadata, spec });
  }
}
