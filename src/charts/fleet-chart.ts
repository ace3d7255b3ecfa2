import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LayerKustomization } from '../constructs/flux/layer-kustomization';
import { FluxProfile } from '../gates/flux-profile';
import { HealthGate } from '../gates/health-gate';
import { Layer } from '../planner/layer';
import { kustomizationNamespace } from '../planner/layer-builder';
import { Plan } from '../planner/plan-fleet';

/** The folder every layer Kustomization lives in; the user's bootstrap Kustomization points at it. */
export const FLEET_FOLDER = 'fleet';

/** Properties of a {@link FleetChart}. */
export interface FleetChartProps {
  readonly plan: Plan;
  readonly profile: FluxProfile;
  /** Health gate of each layer, by layer name. */
  readonly gates: ReadonlyMap<string, HealthGate>;
  /**
   * The layers whose Kustomizations this chart holds (a large fleet's folder is rendered in
   * batches, so only one batch of constructs is in memory). @default - every layer of the plan
   */
  readonly layers?: readonly Layer[];
}

/**
 * `dist/fleet/`: one Flux Kustomization per layer, and nothing else (DESIGN §2).
 */
export class FleetChart extends Chart {
  public constructor(scope: Construct, props: FleetChartProps) {
    super(scope, FLEET_FOLDER, { disableResourceNameHashes: true });
    const { plan, profile } = props;
    const flux = plan.fleet.flux;
    const kommander = flux.mode === 'kommander';
    // In kommander mode a layer that reaches a workspace cluster lives next to that cluster's
    // kubeconfig Secret (Flux reads it from the Kustomization's namespace).
    const namespaceOf = new Map(plan.layers.map((l) => [l.name, kustomizationNamespace(l.target, plan.fleet)]));
    const labels = { 'app.kubernetes.io/part-of': 'dkp-fleet', 'app.kubernetes.io/instance': plan.fleet.name };
    for (const layer of props.layers ?? plan.layers) {
      new LayerKustomization(this, layer.name, {
        layer,
        namespace: namespaceOf.get(layer.name)!,
        namespaceOf: (name) => namespaceOf.get(name)!,
        flux,
        profile,
        gate: props.gates.get(layer.name)!,
        labels,
        remote: !layer.target.flux && (!kommander || !layer.target.management),
      });
    }
  }
}
