import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Layer } from '../planner/layer';
import { VersionPatchObject } from './capi/version-patch-object';
import { KommanderAppDeployment } from './kommander/kommander-app-deployment';

/** Properties of a {@link LayerChart}. */
export interface LayerChartProps {
  readonly layer: Layer;
  /** AppDeployment API version of the target release. */
  readonly appDeploymentApiVersion: string;
  /** Cluster API contract of the target release. */
  readonly capiContract: string;
  /** Flux `ssa` annotation value for partial objects. @default - the layer has none */
  readonly ssaMerge?: string;
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
    for (const patch of props.layer.content.versionPatches) {
      if (props.ssaMerge === undefined) {
        throw new Error(`internal: layer ${props.layer.name} patches ${patch.kind} without an ssa merge value`);
      }
      new VersionPatchObject(this, `${patch.kind}-${patch.namespace}-${patch.name}`, { patch, contract: props.capiContract, ssaMerge: props.ssaMerge });
    }
  }
}
