import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AddonClusterResourceSet } from '../constructs/addons/addon-cluster-resource-set';
import { AddonHelmChartProxy } from '../constructs/addons/addon-helm-chart-proxy';
import { CapiProvider } from '../constructs/capi/capi-provider';
import { JobGate } from '../constructs/gates/job-gate';
import { KommanderAppDeployment } from '../constructs/kommander/kommander-app-deployment';
import { VersionPatchObject } from '../constructs/kubernetes/version-patch-object';
import { JobGateSpec } from '../gates/job-gate-spec';
import { Layer } from '../planner/layer';

/** Properties of a {@link LayerChart}. */
export interface LayerChartProps {
  readonly layer: Layer;
  /** AppDeployment API version of the target release. */
  readonly appDeploymentApiVersion: string;
  /** Cluster API contract of the target release. */
  readonly capiContract: string;
  /** Flux `ssa` annotation value for partial objects. @default - the layer has none */
  readonly ssaMerge?: string;
  /** A Job that proves the layer finished, where Flux has no CEL. @default - none */
  readonly jobGate?: JobGateSpec;
}

/**
 * One layer folder: the objects its Kustomization applies. The chart id is the folder name,
 * and every object has an explicit name, so output paths never depend on construct paths.
 */
export class LayerChart extends Chart {
  public readonly layer: Layer;

  public constructor(scope: Construct, props: LayerChartProps) {
    super(scope, props.layer.name, { disableResourceNameHashes: true });
    this.layer = props.layer;
    for (const app of props.layer.content.appDeployments) {
      new KommanderAppDeployment(this, `AppDeployment-${app.namespace}-${app.name}`, { app, apiVersion: props.appDeploymentApiVersion });
    }
    for (const provider of props.layer.content.providers) {
      new CapiProvider(this, `${provider.kind}-${provider.namespace}-${provider.name}`, { provider });
    }
    for (const proxy of props.layer.content.helmChartProxies) {
      new AddonHelmChartProxy(this, `HelmChartProxy-${proxy.namespace}-${proxy.name}`, { proxy });
    }
    for (const set of props.layer.content.clusterResourceSets) {
      new AddonClusterResourceSet(this, `ClusterResourceSet-${set.namespace}-${set.name}`, { set });
    }
    for (const patch of props.layer.content.versionPatches) {
      if (props.ssaMerge === undefined) {
        throw new Error(`internal: layer ${props.layer.name} patches ${patch.kind} without an ssa merge value`);
      }
      new VersionPatchObject(this, `${patch.kind}-${patch.namespace}-${patch.name}`, { patch, contract: props.capiContract, ssaMerge: props.ssaMerge });
    }
    if (props.jobGate) {
      new JobGate(this, 'Gate', { spec: props.jobGate });
    }
  }
}
