import { Change, EMPTY_CONTENT, HealthCheck, LayerContent, LayerKind, LayerScope, LayerTarget, RolloutGate } from './layer';
import { AppsPlan, PlannedApp } from './plan-apps';
import { KonvoyPlan } from './plan-konvoy';
import { KubernetesMove } from './resolve-kubernetes';
import { Release } from '../catalog/release';
import { Fleet, WorkspaceCluster } from '../fleet/fleet';
import { MAX_NAME_LENGTH } from '../input/formats';
import { Problems, show } from '../input/problems';

/** A layer being built; `after` lists the layers it must follow (not yet reduced). */
export interface Draft {
  readonly name: string;
  readonly kind: LayerKind;
  readonly scope: LayerScope;
  readonly target: LayerTarget;
  readonly content: LayerContent;
  readonly checks: readonly HealthCheck[];
  readonly changes: readonly Change[];
  readonly summary: string;
  readonly after: readonly string[];
  /** Kustomizations outside dist/ to depend on. @default - none */
  readonly externalDependsOn?: readonly { readonly name: string; readonly namespace: string }[];
  /** @default false */
  readonly suspend?: boolean;
  /** @default - spec.flux.timeout */
  readonly timeout?: string;
  /** @default - none */
  readonly rolloutGate?: RolloutGate;
}

/** What the layers are built from: the fleet, its releases and the plans of its parts. */
export interface BuildInput {
  readonly fleet: Fleet;
  readonly release: Release;
  readonly current?: Release;
  readonly apps: AppsPlan;
  readonly moves: ReadonlyMap<string, KubernetesMove>;
  /** Present when Konvoy is upgraded. */
  readonly konvoy?: KonvoyPlan;
}

/** Where the layers of a fleet apply and what they are scoped to. */
export interface Targets {
  readonly management: LayerTarget;
  /** The cluster Flux runs on: the hub, or the management cluster in kommander mode. */
  readonly flux: LayerTarget;
  readonly managementScope: LayerScope;
  readonly cluster: (c: WorkspaceCluster) => LayerTarget;
  readonly clusterScope: (c: WorkspaceCluster) => LayerScope;
}

/** The targets and scopes of a fleet's layers. */
export function targetsOf(fleet: Fleet): Targets {
  const management = { cluster: fleet.management.name, management: true, kubeconfigSecret: fleet.flux.managementKubeConfigSecret };
  return {
    management,
    flux: fleet.flux.mode === 'kommander' ? { ...management, flux: true } : { cluster: '(hub)', management: false, kubeconfigSecret: '', flux: true },
    managementScope: { type: 'management' },
    cluster: (c) => ({
      cluster: c.name,
      management: false,
      kubeconfigSecret: c.kubeconfigSecret,
      secretNamespace: c.type === 'managed' ? c.namespace : fleet.workspaces.find((w) => w.name === c.workspace)!.namespace,
    }),
    clusterScope: (c) => ({
      type: 'cluster', cluster: c.name, workspace: c.workspace, clusterType: c.type, wave: c.type === 'managed' ? c.wave : undefined,
    }),
  };
}

/**
 * The namespace of a layer's Kustomization: the Flux namespace, except in kommander mode for a
 * layer that reaches a workspace cluster, which lives next to that cluster's kubeconfig Secret
 * (Flux reads it from the Kustomization's namespace).
 */
export function kustomizationNamespace(target: LayerTarget, fleet: Fleet): string {
  return fleet.flux.mode === 'kommander' && !target.management && !target.flux ? target.secretNamespace ?? fleet.flux.namespace : fleet.flux.namespace;
}

/** Collects layer drafts, refusing names Kubernetes cannot take. */
export class LayerBuilder {
  public readonly drafts: Draft[] = [];
  private readonly byName = new Map<string, Draft>();
  private readonly byCluster = new Map<string, Draft[]>();

  public constructor(private readonly problems: Problems) {}

  /**
   * Adds a layer. Its name must fit a Kubernetes name (63 characters): if it does not, the
   * problem is reported at `nameField`, the input field the name is made from.
   */
  public add(d: Draft, nameField: string): void {
    if (d.name.length > MAX_NAME_LENGTH) {
      const base = d.name.length - MAX_NAME_LENGTH;
      this.problems.add(nameField, `makes the layer name ${show(d.name)} (${d.name.length} characters), over the ${MAX_NAME_LENGTH} `
        + `Kubernetes allows for a Kustomization; shorten it by ${base} character${base === 1 ? '' : 's'} or more`);
    }
    if (this.byName.has(d.name)) {
      throw new Error(`internal: layer ${d.name} added twice`);
    }
    this.byName.set(d.name, d);
    if (d.scope.type === 'cluster') this.byCluster.set(d.scope.cluster, [...(this.byCluster.get(d.scope.cluster) ?? []), d]);
    this.drafts.push(d);
  }

  /** The layer added under `name`. */
  public get(name: string): Draft | undefined {
    return this.byName.get(name);
  }

  /** The layers of one workspace cluster, in the order they were added. */
  public ofCluster(cluster: string): readonly Draft[] {
    return this.byCluster.get(cluster) ?? [];
  }
}

/** Checks of the HelmReleases the apps render (on `cluster` only, when given). */
export function helmReleaseChecks(apps: readonly PlannedApp[], apiVersion: string, cluster?: string): HealthCheck[] {
  return apps
    .filter((a) => cluster === undefined || a.clusters === undefined || a.clusters.includes(cluster))
    .flatMap((a) => a.helmReleases)
    .map((h) => ({
      apiVersion, kind: 'HelmRelease', name: h.name, namespace: h.namespace, expect: { type: 'helm-release', chartVersion: h.chartVersion }, applied: false,
    }));
}

/** A layer that writes the apps' AppDeployments. */
export function appContent(apps: readonly PlannedApp[]): LayerContent {
  return { ...EMPTY_CONTENT, appDeployments: apps.map((a) => a.deployment) };
}

/** `3 node pools`, `1 node pool`. */
export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
