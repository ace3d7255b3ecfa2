import { Rollout } from './rollout';

/**
 * The fleet, as read from `fleet.yaml` with every default resolved (DESIGN §4).
 *
 * Every entity keeps `fieldPath`, the path of its node in the fleet file, so that later
 * checks (catalog, planner) can name the exact field a problem concerns.
 */

/** Rollout and WaveControls live in ./rollout.ts; imported from here too. */
export type { Rollout, WaveControls } from './rollout';

/** Which Flux reconciles the layers (DESIGN §2). */
export type FluxMode = 'hub' | 'kommander';
export const FLUX_MODES: readonly FluxMode[] = ['hub', 'kommander'];

/** Infrastructure providers DKP creates clusters on. */
export type InfrastructureProvider = 'aws' | 'azure' | 'vsphere' | 'gcp' | 'preprovisioned';
export const INFRASTRUCTURE_PROVIDERS: readonly InfrastructureProvider[] = ['aws', 'azure', 'vsphere', 'gcp', 'preprovisioned'];

/** Managed clusters are created by Konvoy (Cluster API); attached clusters are not. */
export type ClusterType = 'managed' | 'attached';
export const CLUSTER_TYPES: readonly ClusterType[] = ['managed', 'attached'];

/** Kinds of Flux sources the layers can read from. */
export type SourceKind = 'GitRepository' | 'OCIRepository' | 'Bucket';
export const SOURCE_KINDS: readonly SourceKind[] = ['GitRepository', 'OCIRepository', 'Bucket'];

/** Namespace of the management cluster's workspace (Kommander's own). */
export const MANAGEMENT_WORKSPACE_NAMESPACE = 'kommander';

export interface SourceRef {
  readonly kind: SourceKind;
  readonly name: string;
  /** Written in every layer, so Flux's revision lock compares like with like. @default - the Flux namespace */
  readonly namespace: string;
}

/** The Kustomization that applies `dist/fleet/`: the first layer depends on it (the revision lock covers the layer specs). */
export interface BootstrapRef {
  /** @default dkp-fleet */
  readonly name: string;
  /** @default - the Flux namespace */
  readonly namespace: string;
}

export interface FluxSettings {
  readonly mode: FluxMode;
  /** Namespace of the layer Kustomizations. @default flux-system (hub), kommander-flux (kommander) */
  readonly namespace: string;
  /** Secret with the management cluster's kubeconfig, next to the layers (hub mode). @default <management>-kubeconfig */
  readonly managementKubeConfigSecret: string;
  /** Image with kubectl for Job gates where Flux has no CEL. @default - no Job gates: ready-only checks */
  readonly gateImage?: string;
  readonly sourceRef: SourceRef;
  readonly bootstrap: BootstrapRef;
  /** Path of the synthesized folder inside the source. @default ./dist */
  readonly path: string;
  /** @default 10m */
  readonly interval: string;
  /** @default 2m */
  readonly retryInterval: string;
  /** @default 30m */
  readonly timeout: string;
}

export interface VeleroBackupRef {
  /** Names this upgrade (it contains the target release, dashed). @default dkp-fleet-<current>-to-<target>, dashed */
  readonly name: string;
  /** @default kommander (where DKP runs Velero) */
  readonly namespace: string;
}

export interface Preflight {
  /** A Velero Backup that must have completed before anything changes. @default - none */
  readonly veleroBackup?: VeleroBackupRef;
}

/** A platform application (ClusterApp) enabled in a workspace. */
export interface PlatformAppRef {
  readonly name: string;
  /** ConfigMap with `values.yaml` overrides, in the workspace namespace. */
  readonly configOverrides?: string;
  readonly fieldPath: string;
}

/** A DKP catalog application (App) deployed in a workspace or project. */
export interface CatalogAppRef {
  readonly name: string;
  /** @default - the newest version in the release that supports the clusters' Kubernetes */
  readonly version?: string;
  readonly configOverrides?: string;
  readonly fieldPath: string;
}

/** A custom application (App from the user's own catalog repository). */
export interface CustomApp {
  readonly name: string;
  readonly version: string;
  /** Kubernetes versions the app supports, as a semver range. */
  readonly kubernetesVersions: string;
  readonly configOverrides?: string;
  readonly fieldPath: string;
}

export interface Project {
  readonly name: string;
  /** @default - the project name */
  readonly namespace: string;
  readonly catalogApps: readonly CatalogAppRef[];
  readonly customApps: readonly CustomApp[];
  /** Workspace clusters the project is placed on. @default - every cluster of the workspace */
  readonly clusters?: readonly string[];
  readonly fieldPath: string;
}

/**
 * An infrastructure machine template to move machines onto (templates are immutable: a new
 * image means a new template). The whole reference is written, because Cluster API treats
 * `infrastructureRef` as atomic under server-side apply.
 */
export interface MachineTemplateRef {
  readonly name: string;
  /** @default - the provider's template kind, e.g. AWSMachineTemplate */
  readonly kind?: string;
  /** @default - infrastructure.cluster.x-k8s.io/<the release's Cluster API contract> */
  readonly apiVersion?: string;
}

export interface ControlPlane {
  /** KubeadmControlPlane name. @default <cluster>-control-plane */
  readonly name: string;
  /** New infrastructure machine template to roll the control plane onto. @default - unchanged */
  readonly machineTemplate?: MachineTemplateRef;
  readonly fieldPath: string;
}

export interface NodePool {
  /** MachineDeployment name. */
  readonly name: string;
  /** The pool is leaving the cluster: no version change, its MachineDeployment stays in place. @default false */
  readonly removed: boolean;
  /** Current Kubernetes version of the pool. @default - the cluster's kubernetesVersion */
  readonly kubernetesVersion: string;
  /** New infrastructure machine template for the pool. @default - unchanged */
  readonly machineTemplate?: MachineTemplateRef;
  readonly fieldPath: string;
}

/** Fields shared by the management cluster and workspace clusters. */
export interface ClusterBase {
  readonly name: string;
  /** Current Kubernetes version (of the control plane). */
  readonly kubernetesVersion: string;
  /** Kubernetes version to upgrade to. @default - the release's default Kubernetes version */
  readonly targetKubernetesVersion?: string;
  readonly fieldPath: string;
}

/** A Konvoy (Cluster API) cluster: the management cluster or a managed cluster. */
export interface KonvoyCluster extends ClusterBase {
  readonly provider: InfrastructureProvider;
  /** Namespace of its Cluster API objects on the management cluster. */
  readonly namespace: string;
  /** ClusterClass cluster: upgraded through `Cluster.spec.topology.version`. @default false */
  readonly topology: boolean;
  readonly controlPlane: ControlPlane;
  readonly nodePools: readonly NodePool[];
}

export interface ManagementCluster extends KonvoyCluster {
  /** @default - the release's default platform applications */
  readonly platformApps?: readonly PlatformAppRef[];
  readonly catalogApps: readonly CatalogAppRef[];
  readonly customApps: readonly CustomApp[];
}

export interface ManagedCluster extends KonvoyCluster {
  readonly type: 'managed';
  readonly workspace: string;
  /** Upgrade wave; wave N starts when every cluster of the previous wave has finished. @default 1 */
  readonly wave: number;
  /** Secret with the cluster's kubeconfig. @default <name>-kubeconfig */
  readonly kubeconfigSecret: string;
}

export interface AttachedCluster extends ClusterBase {
  readonly type: 'attached';
  readonly workspace: string;
  /** Secret with the cluster's kubeconfig. @default <name>-kubeconfig */
  readonly kubeconfigSecret: string;
}

export type WorkspaceCluster = ManagedCluster | AttachedCluster;

/** A managed cluster leaving the fleet (`removed: true`): no layers; its objects stay in place. */
export interface RemovedCluster {
  readonly name: string;
  readonly workspace: string;
  readonly fieldPath: string;
}

export interface Workspace {
  readonly name: string;
  /** @default - the workspace name */
  readonly namespace: string;
  /** @default - the release's default platform applications */
  readonly platformApps?: readonly PlatformAppRef[];
  readonly catalogApps: readonly CatalogAppRef[];
  readonly customApps: readonly CustomApp[];
  readonly projects: readonly Project[];
  readonly clusters: readonly WorkspaceCluster[];
  /** Managed clusters marked `removed: true`. */
  readonly removedClusters: readonly RemovedCluster[];
  readonly fieldPath: string;
}

/** How core addons reach the clusters. */
export type AddonDelivery = 'helmChartProxy' | 'clusterResourceSet';
export const ADDON_DELIVERIES: readonly AddonDelivery[] = ['helmChartProxy', 'clusterResourceSet'];

/**
 * Who upgrades the Cluster API providers: `dkpCli`, the operator's `dkp upgrade capi-components`
 * (how DKP installs them), watched by the layer; `clusterApiOperator`, provider objects a running
 * cluster-api-operator already manages.
 */
export type ProvidersManagedBy = 'dkpCli' | 'clusterApiOperator';
export const PROVIDERS_MANAGED_BY: readonly ProvidersManagedBy[] = ['dkpCli', 'clusterApiOperator'];

/** Where cluster-api-operator fetches provider components from. */
export type ProviderComponentsSource = 'url' | 'configMaps';
export const PROVIDER_COMPONENTS_SOURCES: readonly ProviderComponentsSource[] = ['url', 'configMaps'];

export interface KonvoySettings {
  /** Upgrade Konvoy (providers, addons, Kubernetes), not only Kommander and apps. @default true */
  readonly enabled: boolean;
  /** @default dkpCli */
  readonly providers: ProvidersManagedBy;
  /** With `clusterApiOperator`: `url`, the release's components URLs; `configMaps`, ConfigMaps from your DKP bundle. @default url */
  readonly providerComponents: ProviderComponentsSource;
  /** @default - the delivery the current release used (the catalog's `addonDelivery`) */
  readonly addonDelivery?: AddonDelivery;
  /** Addons delivered by ClusterResourceSet even when the delivery is helmChartProxy. @default - none */
  readonly clusterResourceSetAddons: readonly string[];
  /** Absolute path of the folder of addon manifests (ClusterResourceSet delivery). @default - none */
  readonly addonManifestsDir?: string;
  /** Absolute path of the folder of HelmChartProxy values templates. @default - none: chart defaults */
  readonly addonValuesDir?: string;
}

export interface Fleet {
  readonly name: string;
  /** Target DKP release. */
  readonly release: string;
  /** DKP release running now. @default - unknown: no path checks, no "from" versions */
  readonly currentRelease?: string;
  /** Absolute path of the folder of extra release files. @default - built-in catalog only */
  readonly catalogDir?: string;
  readonly konvoy: KonvoySettings;
  /**
   * Kommander's own apps (e.g. kommander, kommander-appmanagement) to move with AppDeployments in
   * `mgmt-kommander`. That Kommander deploys them through AppDeployments in 2.1–2.3 is
   * inferred, not documented. @default - none: the layer only watches Kommander's HelmReleases
   */
  readonly kommanderAppDeployments: readonly PlatformAppRef[];
  readonly flux: FluxSettings;
  readonly preflight: Preflight;
  readonly management: ManagementCluster;
  readonly workspaces: readonly Workspace[];
  /** Controls between the waves of managed clusters (README, "Rollout controls"). */
  readonly rollout: Rollout;
  /**
   * Cluster API objects the committed output has and this fleet no longer writes, accepted
   * (`<Kind> <namespace>/<name>`): without them synthesis refuses such a removal.
   */
  readonly acknowledgedRemovals: readonly string[];
}

/** Every workspace cluster of the fleet, in file order. */
export function workspaceClusters(fleet: Fleet): WorkspaceCluster[] {
  return fleet.workspaces.flatMap((w) => w.clusters);
}

/** Every managed (Konvoy) workspace cluster, in file order. */
export function managedClusters(fleet: Fleet): ManagedCluster[] {
  return workspaceClusters(fleet).filter((c): c is ManagedCluster => c.type === 'managed');
}
