/**
 * The layers of a fleet upgrade (DESIGN §1): each is one folder of manifests and one Flux
 * Kustomization that applies it, ordered by `dependsOn`.
 */

/** What a layer does. */
export type LayerKind =
  /** Proves the preconditions; changes nothing. */
  | 'preflight'
  /** Moves Kommander itself. */
  | 'kommander'
  /** Platform AppDeployments (management/workspace), or the check that a cluster runs them. */
  | 'platform-apps'
  /** Catalog and custom AppDeployments, or the check that a cluster runs them. */
  | 'catalog-apps'
  /** Barrier: every app layer of a workspace is done. */
  | 'apps-ready'
  | 'capi-providers'
  | 'core-addons'
  | 'control-plane'
  | 'node-pools'
  /** `Cluster.spec.topology.version` of a ClusterClass cluster. */
  | 'kubernetes'
  /** Barrier: every cluster of a wave is done. */
  | 'wave'
  /** Barrier with a failure budget: every cluster of a wave finished or failed, and at most the budget failed (a Job counts them). */
  | 'wave-budget'
  /** After a wave: it stays healthy for the soak time (a Job watches it). */
  | 'soak';

/** Layers that move apps (the seed's rule: these all finish before any Kubernetes version moves). */
export const APP_KINDS: readonly LayerKind[] = ['kommander', 'platform-apps', 'catalog-apps', 'apps-ready'];
/** Layers that move a Kubernetes version. */
export const KUBERNETES_KINDS: readonly LayerKind[] = ['control-plane', 'node-pools', 'kubernetes'];
/** Konvoy layers of a cluster, in the order they run. */
export const KONVOY_KINDS: readonly LayerKind[] = ['capi-providers', 'core-addons', 'control-plane', 'node-pools', 'kubernetes'];

export type LayerScope =
  | { readonly type: 'management' }
  | { readonly type: 'workspace'; readonly workspace: string }
  | { readonly type: 'cluster'; readonly cluster: string; readonly workspace: string; readonly clusterType: 'managed' | 'attached'; readonly wave?: number }
  | { readonly type: 'wave'; readonly wave: number };

/** Where a layer's Kustomization applies and checks objects. */
export interface LayerTarget {
  /** The cluster: the management cluster's name or a workspace cluster's. */
  readonly cluster: string;
  /** Whether it is the management cluster. */
  readonly management: boolean;
  /** Secret holding the target's kubeconfig (in the Kustomization's namespace). */
  readonly kubeconfigSecret: string;
  /**
   * The cluster Flux runs on (the hub, or the management cluster in kommander mode): the
   * Kustomization has no kubeConfig, and its Job gate reads the layers' Kustomizations there.
   * @default false
   */
  readonly flux?: boolean;
  /**
   * Namespace where a Kustomization must live to read that secret in kommander mode (the
   * layers themselves live in `spec.flux.namespace`).
   */
  readonly secretNamespace?: string;
}

/** What an object's status must show for a check to pass; its meaning is in src/gates/kinds/. */
export type Expectation =
  /** kstatus only: Ready, or no conditions (a Job completed, a barrier). */
  | { readonly type: 'ready' }
  /** The object exists (a ClusterApp, a machine template: they have no status). */
  | { readonly type: 'exists' }
  /** A HelmRelease Kommander renders, upgraded to the chart version. */
  | { readonly type: 'helm-release'; readonly chartVersion?: string }
  /** A Velero Backup, Completed. */
  | { readonly type: 'backup-completed' }
  /** A KubeadmControlPlane rolled out at the version. */
  | { readonly type: 'control-plane'; readonly version: string }
  /** A MachineDeployment rolled out at the version. */
  | { readonly type: 'machine-deployment'; readonly version: string }
  /** A ClusterClass Cluster: its control plane and every MachineDeployment of its topology at the version. */
  | { readonly type: 'topology'; readonly version: string }
  /** A cluster-api-operator provider installed at the version. */
  | { readonly type: 'provider'; readonly version: string }
  /**
   * The premise of a cluster's Kubernetes layers: a KubeadmControlPlane, MachineDeployment or
   * ClusterClass Cluster at one of the versions (the fleet file's current one, or already the target).
   */
  | { readonly type: 'premise'; readonly versions: readonly string[] }
  /** A cluster-api-operator provider installed at one of the versions (the premise of an upgrade through the operator). */
  | { readonly type: 'provider-installed'; readonly versions: readonly string[] }
  /** A Deployment, DaemonSet or StatefulSet rolled out at the images. */
  | { readonly type: 'rollout'; readonly containers: readonly ContainerImage[] }
  /** A HelmChartProxy whose HelmReleaseProxies deployed the chart version. */
  | { readonly type: 'helm-chart-proxy'; readonly version: string }
  /** A ClusterResourceSet that observed its spec and applied its resources. */
  | { readonly type: 'resource-set' }
  /** A ClusterResourceSetBinding that records the sets' content applied, by hash. */
  | { readonly type: 'resource-set-binding'; readonly sets: readonly AppliedSet[]; readonly strategy: 'ApplyOnce' | 'ApplyAlways' | 'Reconcile' };

/** A container and the image it must run. */
export interface ContainerImage {
  readonly name: string;
  /** The image, or its tag when `match` is `tag`. */
  readonly image: string;
  /** `exact`: the image string dkp-fleet applied; `tag`: any registry (a mirror), this tag. */
  readonly match: 'exact' | 'tag';
}

/** A ClusterResourceSet's ConfigMap and the hash the binding records once its content is applied. */
export interface AppliedSet {
  readonly clusterResourceSet: string;
  readonly configMap: string;
  /** `sha256:<hex>` over the ConfigMap's data values in key order (Cluster API's rule). */
  readonly hash: string;
}

/** An object a layer checks: one it applies or one it only watches. */
export interface HealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  readonly expect: Expectation;
  /** The layer applies this object (else it only watches it). */
  readonly applied: boolean;
}

/** One versioned thing a layer moves, for the plan: `cert-manager 1.7.1 → 1.7.1`. */
export interface Change {
  /** What moves: `AppDeployment team-a/cert-manager`, `KubeadmControlPlane default/mgmt-control-plane`. */
  readonly subject: string;
  /** @default - unknown (no currentRelease, or not recorded) */
  readonly from?: string;
  readonly to: string;
  /** Why this change is special (an app that moved or disappeared, an inferred fact). */
  readonly note?: string;
}

/** A Kommander AppDeployment to write. */
export interface AppDeploymentSpec {
  readonly name: string;
  readonly namespace: string;
  readonly appRef: { readonly kind: 'ClusterApp' | 'App'; readonly name: string };
  readonly configOverrides?: string;
}

/** A full reference to an infrastructure machine template (atomic under server-side apply). */
export interface TemplateRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** A KubeadmControlPlane, MachineDeployment or Cluster version change (partial object). */
export interface VersionPatch {
  readonly kind: 'KubeadmControlPlane' | 'MachineDeployment' | 'Cluster';
  readonly name: string;
  readonly namespace: string;
  readonly version: string;
  /** New infrastructure machine template. @default - unchanged */
  readonly machineTemplate?: TemplateRef;
}

/** A cluster-api-operator provider at a version. */
export interface ProviderSpec {
  readonly kind: 'CoreProvider' | 'BootstrapProvider' | 'ControlPlaneProvider' | 'InfrastructureProvider';
  readonly name: string;
  readonly namespace: string;
  readonly version: string;
  /** Components from a URL, or from ConfigMaps labelled `provider-components: <label>` in the provider's namespace. */
  readonly fetch: { readonly url: string } | { readonly configMapLabel: string };
  /** Manager image to run instead of the one the components name. @default - the components' own */
  readonly image?: string;
}

/** A Cluster API Addon Provider Helm HelmChartProxy for one addon of one cluster. */
export interface HelmChartProxySpec {
  readonly name: string;
  readonly namespace: string;
  /** The cluster it selects (by its `konvoy.d2iq.io/cluster-name` label). */
  readonly cluster: string;
  readonly repoURL: string;
  readonly chartName: string;
  readonly version: string;
  readonly releaseName: string;
  readonly releaseNamespace: string;
  /** @default - the chart's defaults */
  readonly valuesTemplate?: string;
}

/** A per-cluster ClusterResourceSet with the ConfigMap it applies (DKP's `<addon>-<cluster>` sets). */
export interface ClusterResourceSetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly cluster: string;
  readonly strategy: string;
  /** ConfigMap data: one key per manifest file, Secrets taken out. Empty: no ConfigMap (the addon is Secrets only). */
  readonly data: Readonly<Record<string, string>>;
  /**
   * The Secret the set also applies, which the user creates on the management cluster from the
   * addon's Secret manifests (never written to dist/). @default - none: the manifests hold no Secret
   */
  readonly secret?: ResourceSetSecret;
}

/** A Secret of type `addons.cluster.x-k8s.io/resource-set` that a ClusterResourceSet applies: one key per manifest file. */
export interface ResourceSetSecret {
  readonly name: string;
  readonly namespace: string;
  /** The manifest files its Secrets came from (the addon folder's file names), with the Secrets of each. */
  readonly files: readonly { readonly file: string; readonly secrets: readonly string[] }[];
}

/** What a layer renders. Every list may be empty. */
export interface LayerContent {
  readonly appDeployments: readonly AppDeploymentSpec[];
  readonly versionPatches: readonly VersionPatch[];
  readonly providers: readonly ProviderSpec[];
  readonly helmChartProxies: readonly HelmChartProxySpec[];
  readonly clusterResourceSets: readonly ClusterResourceSetSpec[];
}

/** A layer's Flux Kustomization: its name and namespace. */
export interface KustomizationRef {
  readonly name: string;
  readonly namespace: string;
}

/** What the Job of a rollout-control layer watches (README, "Rollout controls"). */
export type RolloutGate =
  /** The layers of the wave's finished clusters stay healthy for `duration` after the wave finished. */
  | { readonly type: 'soak'; readonly wave: number; readonly duration: string; readonly clusters: readonly ClusterChain[] }
  /** Each cluster of the wave finished (its last layer Ready at the current revision) or failed; at most `maxFailures` failed. */
  | { readonly type: 'budget'; readonly wave: number; readonly maxFailures: number; readonly clusters: readonly ClusterChain[] };

/** A cluster's layers, for a rollout control: the ones it watches, and the last one (Ready when the cluster finished). */
export interface ClusterChain {
  readonly cluster: string;
  readonly layers: readonly KustomizationRef[];
  readonly last: KustomizationRef;
}

export interface Layer {
  /** Kustomization name = folder name. */
  readonly name: string;
  readonly kind: LayerKind;
  readonly scope: LayerScope;
  readonly target: LayerTarget;
  /** Direct dependencies, sorted by name. */
  readonly dependsOn: readonly string[];
  /** Kustomizations outside dist/ the layer depends on (the bootstrap Kustomization). @default - none */
  readonly externalDependsOn?: readonly { readonly name: string; readonly namespace: string }[];
  /** Written suspended: the layer is held (spec.rollout.hold) until a later commit releases it. @default false */
  readonly suspend?: boolean;
  /** The Kustomization's timeout, when the fleet's does not fit (a soak, a wave's failure budget). @default - spec.flux.timeout */
  readonly timeout?: string;
  /** The Job a rollout-control layer runs. @default - none */
  readonly rolloutGate?: RolloutGate;
  readonly content: LayerContent;
  readonly checks: readonly HealthCheck[];
  readonly changes: readonly Change[];
  /** One line for the plan: what the layer does. */
  readonly summary: string;
}

export const EMPTY_CONTENT: LayerContent = { appDeployments: [], versionPatches: [], providers: [], helmChartProxies: [], clusterResourceSets: [] };
