import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Kustomization as RawKustomization,
  KustomizationSpec,
  KustomizationSpecDeletionPolicy,
  KustomizationSpecSourceRefKind,
  toJson_KustomizationSpec,
} from '../../../imports/flux-kustomize.toolkit.fluxcd.io';
import { FluxSettings } from '../../fleet/fleet';
import { FluxProfile } from '../../gates/flux-profile';
import { HealthGate } from '../../gates/health-gate';
import { byKey } from '../../input/compare';
import { Layer } from '../../planner/layer';

/** Properties of a {@link LayerKustomization}. */
export interface LayerKustomizationProps {
  readonly layer: Layer;
  /** Namespace of this Kustomization. */
  readonly namespace: string;
  /** Namespace of each layer's Kustomization, to qualify `dependsOn` across namespaces. */
  readonly namespaceOf: (layer: string) => string;
  readonly flux: FluxSettings;
  readonly profile: FluxProfile;
  readonly gate: HealthGate;
  /** Labels shared by every Kustomization of the fleet. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Reach the target cluster through a kubeconfig Secret next to the Kustomization.
   * @default false - apply to the cluster Flux runs on
   */
  readonly remote?: boolean;
}

/**
 * The Flux Kustomization that applies one layer folder, gated on its health and ordered by
 * `dependsOn` (DESIGN §2). The API version and fields follow the Flux that runs it.
 */
export class LayerKustomization extends Construct {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: LayerKustomizationProps) {
    super(scope, id);
    const { layer, flux, profile, gate } = props;
    // Every layer names its source in full: kustomize-controller before v1.0.0 compares the
    // namespaces as written, so one layer without it and one with it would skip the revision lock.
    const dependsOn = [
      ...layer.dependsOn.map((d) => ({ name: d, namespace: props.namespaceOf(d) })),
      ...(layer.externalDependsOn ?? []),
    ].sort(byKey((r) => r.name));
    const spec: KustomizationSpec = {
      interval: flux.interval,
      retryInterval: flux.retryInterval,
      timeout: layer.timeout ?? flux.timeout,
      // a held layer (spec.rollout.hold): Flux applies nothing of it until a commit removes this
      ...(layer.suspend ? { suspend: true } : {}),
      // Pruning is safe where Flux can orphan on deletion: removing a layer never deletes what
      // it applied, and Cluster API objects carry their own prune protection. Older Flux cannot
      // orphan, so there nothing is ever garbage-collected (README, "What dkp-fleet deletes").
      prune: profile.deletionPolicy,
      ...(profile.deletionPolicy ? { deletionPolicy: KustomizationSpecDeletionPolicy.ORPHAN } : {}),
      sourceRef: {
        kind: flux.sourceRef.kind as KustomizationSpecSourceRefKind,
        name: flux.sourceRef.name,
        namespace: flux.sourceRef.namespace,
      },
      path: flux.path === '.' ? `./${layer.name}` : `${flux.path}/${layer.name}`,
      ...(dependsOn.length > 0 ? {
        dependsOn: dependsOn.map((d) => (d.namespace === props.namespace ? { name: d.name } : d)),
      } : {}),
      ...(props.remote ? { kubeConfig: { secretRef: { name: layer.target.kubeconfigSecret } } } : {}),
      ...(gate.wait ? { wait: true } : {}),
      ...(gate.healthChecks ? { healthChecks: gate.healthChecks.map((h) => ({ ...h })) } : {}),
      ...(gate.healthCheckExprs ? { healthCheckExprs: gate.healthCheckExprs.map((e) => ({ ...e })) } : {}),
    };
    const metadata = { name: layer.name, namespace: props.namespace, labels: { ...props.labels, ...layerLabels(layer) } };
    if (profile.kustomizationApiVersion === 'kustomize.toolkit.fluxcd.io/v1') {
      this.apiObject = new RawKustomization(this, 'Resource', { metadata, spec });
    } else {
      // Older Flux serves v1beta2 only; the fields dkp-fleet sets there have the same shape.
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: profile.kustomizationApiVersion, kind: 'Kustomization', metadata, spec: toJson_KustomizationSpec(spec),
      });
    }
  }
}

/** Labels that let `flux get ks -l ...` select a layer kind, workspace, cluster or wave. */
export function layerLabels(layer: Layer): Record<string, string> {
  const labels: Record<string, string> = { 'app.kubernetes.io/component': layer.kind };
  const s = layer.scope;
  if (s.type === 'workspace') labels['dkp-fleet/workspace'] = s.workspace;
  if (s.type === 'cluster') {
    labels['dkp-fleet/workspace'] = s.workspace;
    labels['dkp-fleet/cluster'] = s.cluster;
    if (s.wave !== undefined) labels['dkp-fleet/wave'] = String(s.wave);
  }
  if (s.type === 'wave') labels['dkp-fleet/wave'] = String(s.wave);
  return labels;
}
