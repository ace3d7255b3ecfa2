import { InfrastructureProvider } from '../fleet/fleet';

/**
 * What a snapshot of the management cluster says about the fleet: the management cluster, the
 * workspaces with their clusters, projects and apps. Built from the objects of the snapshot
 * (./inventory-builder.ts); every fact the snapshot does not state is recorded as a note, every
 * contradiction as a problem.
 */

/** Infrastructure cluster kinds (Cluster.spec.infrastructureRef.kind) and the provider each means. */
export const INFRASTRUCTURE_KINDS: Readonly<Record<string, InfrastructureProvider>> = {
  AWSCluster: 'aws', AzureCluster: 'azure', VSphereCluster: 'vsphere', GCPCluster: 'gcp', PreprovisionedCluster: 'preprovisioned',
};

/** Kommander's own apps, which go in spec.kommander.appDeployments (README, "The app layers"). */
export const KOMMANDER_APPS: readonly string[] = ['kommander', 'kommander-appmanagement'];

export interface InvNodePool {
  readonly name: string;
  /** The pool's Kubernetes version (the control plane's when the MachineDeployment states none). */
  readonly version: string;
  /** The MachineDeployment, `namespace/name`. */
  readonly source: string;
  readonly notes: readonly string[];
}

interface InvClusterBase {
  /** The name in the fleet file: the Cluster API Cluster's (managed) or the KommanderCluster's (attached). */
  readonly name: string;
  /** Current Kubernetes version of the control plane. */
  readonly version: string;
  /** Where the version was read, for messages. */
  readonly versionSource: string;
  /** Kubeconfig Secret, when it is not `<name>-kubeconfig`. */
  readonly kubeconfigSecret?: string;
  /** `Cluster namespace/name` (managed) or `KommanderCluster namespace/name` (attached), for messages. */
  readonly source: string;
  readonly notes: string[];
}

export interface InvManaged extends InvClusterBase {
  readonly type: 'managed';
  readonly provider: InfrastructureProvider;
  /** Namespace of its Cluster API objects. */
  readonly namespace: string;
  readonly topology: boolean;
  /** KubeadmControlPlane name (classic clusters). */
  readonly controlPlane?: string;
  readonly nodePools: readonly InvNodePool[];
}

export interface InvAttached extends InvClusterBase {
  readonly type: 'attached';
}

export type InvCluster = InvManaged | InvAttached;

/** An app an AppDeployment deploys. */
export interface InvApp {
  /** The app id, which is also the AppDeployment's name. */
  readonly id: string;
  /** The version in the app reference. @default - the reference has none */
  readonly version?: string;
  readonly kind: 'ClusterApp' | 'App';
  readonly configOverrides?: string;
  /** `AppDeployment namespace/name (ClusterApp x-1.2.3)`, for comments. */
  readonly source: string;
  /** `AppDeployment namespace/name, ClusterApp x-1.2.3`, for messages. */
  readonly detail: string;
}

export interface InvApps {
  readonly platform: InvApp[];
  readonly catalog: InvApp[];
  /** Apps the release catalog does not know: custom apps, whose Kubernetes range the snapshot does not hold. */
  readonly custom: InvApp[];
}

export interface InvProject {
  readonly name: string;
  readonly namespace: string;
  /** Names (in the fleet) of the clusters it is placed on. @default - every cluster of its workspace */
  readonly clusters?: string[];
  readonly apps: InvApps;
  readonly notes: string[];
}

export interface InvWorkspace {
  readonly name: string;
  readonly namespace: string;
  readonly clusters: InvCluster[];
  readonly apps: InvApps;
  readonly projects: InvProject[];
  /** It has clusters or AppDeployments: it belongs in the fleet file. */
  readonly inUse: boolean;
}

export interface InvManagement extends InvManaged {
  readonly apps: InvApps;
  /** Kommander's own AppDeployments (kommander, kommander-appmanagement). */
  readonly kommanderApps: InvApp[];
}

/** What the snapshot tells of the DKP release running now. */
export interface RunningRelease {
  /** The release, when exactly one fits. */
  readonly version?: string;
  /** How it was inferred, or why it could not be. */
  readonly note: string;
}

export interface Inventory {
  readonly management: InvManagement;
  /** Every workspace but the management cluster's, sorted by name; `inUse` says which belong in the fleet. */
  readonly workspaces: readonly InvWorkspace[];
  readonly running: RunningRelease;
  /** What the fleet file leaves out, and why. */
  readonly leftOut: readonly string[];
  /** Notes of the whole fleet (what was inferred about the management cluster). */
  readonly notes: readonly string[];
}
