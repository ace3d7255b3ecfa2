/**
 * The access every identity the layers use needs, as ./plan-access.ts plans it: its shape (PLAN.md
 * and dist/rbac/ are written from it) and the names it gives.
 */

/** An RBAC verb dkp-fleet grants. */
export type Verb = 'create' | 'delete' | 'get' | 'list' | 'patch' | 'watch';

/** The verbs that only read. */
export const READ_VERBS: readonly Verb[] = ['get', 'list', 'watch'];

/** One permission: verbs on one resource, in one namespace or cluster-wide. */
export interface AccessRule {
  /** @default - cluster-scoped (a ClusterRole) */
  readonly namespace?: string;
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Plural resource name. */
  readonly resource: string;
  /** The kind, for people (PLAN.md). */
  readonly kind: string;
  /** Sorted. */
  readonly verbs: readonly Verb[];
  /** Objects the rule is limited to, sorted. @default - every object of the resource (in the namespace) */
  readonly resourceNames?: readonly string[];
}

/** Where an identity's ServiceAccount lives, and how Flux reaches the cluster as it. */
export interface IdentityAccount {
  /** The ServiceAccount the roles are bound to: `dkp-fleet-<fleet>`. */
  readonly name: string;
  /**
   * The namespace of the layer Kustomizations that use the identity: where Flux looks for
   * `spec.serviceAccountName` on the target cluster when it impersonates.
   */
  readonly namespace: string;
  /** The folder creates the namespace (hub mode: the hub's Flux namespace need not exist on the target). */
  readonly createNamespace: boolean;
  /** The kubeconfig Secret the layers use (on the cluster that runs them). @default - none: the Flux on the cluster itself */
  readonly kubeConfigSecret?: { readonly name: string; readonly namespace: string };
}

/** The access of the identity the layers use on one cluster. */
export interface Identity {
  /** Cluster name ({@link HUB} for the hub): the folder is `rbac/<cluster>`. */
  readonly cluster: string;
  readonly type: 'management' | 'managed' | 'attached' | 'hub';
  readonly account: IdentityAccount;
  /** Layers that reach the cluster as this identity, in plan order. */
  readonly layers: readonly string[];
  /** Read rules (only read verbs), sorted. */
  readonly reads: readonly AccessRule[];
  /** Write rules (by name), sorted. Empty for a workspace cluster unless it runs a Job gate. */
  readonly writes: readonly AccessRule[];
}

/** A gate Job's ServiceAccount and the Roles its layer writes for it (README, "Health gates"). */
export interface GateAccess {
  readonly layer: string;
  /** The cluster it runs on. */
  readonly cluster: string;
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  readonly job: string;
  /** Its rules, as the layer writes them: `get` by name, `list` where it reads by label. Sorted. */
  readonly rules: readonly AccessRule[];
  /** The files of its Roles (or ClusterRole) in the layer folder, relative to dist/. */
  readonly files: readonly string[];
}

export interface AccessPlan {
  readonly fleet: string;
  /** The management cluster's name. */
  readonly management: string;
  /** The layers run on a hub (hub mode), else on the management cluster's Flux. */
  readonly hub: boolean;
  /** The management cluster's identity first, then the hub's (if layers run there), then the workspace clusters' by name. */
  readonly identities: readonly Identity[];
  /** By layer, in plan order. */
  readonly gates: readonly GateAccess[];
}

/** The folder of an identity under dist/. */
export const RBAC_FOLDER = 'rbac';
/**
 * The identity of layers that run on the hub itself (rollout controls, in hub mode): not a
 * Kubernetes name, so no cluster of the fleet can be named so.
 */
export const HUB = '_hub';
export const accessFolder = (cluster: string): string => `${RBAC_FOLDER}/${cluster}`;

/** Name of every identity's ServiceAccount, Roles (`-read`, `-apply`) and bindings. */
export const accountName = (fleet: string): string => `dkp-fleet-${fleet}`;

/** The API group of Roles, ClusterRoles and their bindings. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
