import * as semver from 'semver';
import { KnownApps, splitAppRef } from './apps';
import { describe, field, groupOf, SnapshotObject, Where } from './snapshot';
import { ReleaseCatalog } from '../catalog/catalog';
import { InfrastructureProvider, MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';
import { dnsLabelProblem, kubernetesVersion } from '../input/formats';
import { Problems, show } from '../input/problems';
import { INVALID } from '../input/schema';

/**
 * What a snapshot of the management cluster says about the fleet: the management cluster, the
 * workspaces with their clusters, projects and apps. Built from the objects of the snapshot;
 * every fact the snapshot does not state is recorded as a note, every contradiction as a problem.
 */

/** Infrastructure cluster kinds (Cluster.spec.infrastructureRef.kind) and the provider each means. */
export const INFRASTRUCTURE_KINDS: Readonly<Record<string, InfrastructureProvider>> = {
  AWSCluster: 'aws', AzureCluster: 'azure', VSphereCluster: 'vsphere', GCPCluster: 'gcp', PreprovisionedCluster: 'preprovisioned',
};

/** Namespace DKP creates the management cluster's Cluster API objects in. */
const MANAGEMENT_CAPI_NAMESPACE = 'default';

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

const GROUPS = {
  Cluster: 'cluster.x-k8s.io',
  MachineDeployment: 'cluster.x-k8s.io',
  KubeadmControlPlane: 'controlplane.cluster.x-k8s.io',
  Workspace: 'workspaces.kommander.mesosphere.io',
  Project: 'workspaces.kommander.mesosphere.io',
  KommanderCluster: 'kommander.mesosphere.io',
  AppDeployment: 'apps.kommander.d2iq.io',
  ClusterApp: 'apps.kommander.d2iq.io',
} as const;
type Kind = keyof typeof GROUPS;

/** How to fix a snapshot that lacks a kind: take it with the one command that gets them all. */
const getAlso = (resource: string) =>
  `take the snapshot with the documented \`kubectl get ... -A -o yaml\`, which gets ${resource} too (README, "The fleet file")`;

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(o: SnapshotObject, path: string): string | undefined {
  const v = field(o, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `namespace/name` of a namespaced object (a namespaced object without one is in `default`). */
const key = (namespace: string, name: string) => `${namespace}/${name}`;
const nsOf = (o: SnapshotObject) => o.namespace ?? 'default';
const keyOf = (o: SnapshotObject) => key(nsOf(o), o.name);

/** Builds an inventory; problems are recorded, and the result is undefined when any was. */
export class InventoryBuilder {
  private readonly byKind = new Map<Kind, SnapshotObject[]>();
  private readonly leftOut: string[] = [];
  private readonly notes: string[] = [];

  public constructor(
    objects: readonly SnapshotObject[],
    private readonly catalog: ReleaseCatalog,
    private readonly known: KnownApps,
    private readonly problems: Problems,
  ) {
    const seen = new Map<string, SnapshotObject>();
    for (const o of objects) {
      if (!Object.prototype.hasOwnProperty.call(GROUPS, o.kind)) continue;
      const kind = o.kind as Kind;
      // The kinds are read by group: an object of another API group that shares a kind name is not one of these.
      if (o.apiVersion !== '' && groupOf(o) !== GROUPS[kind]) continue;
      const id = `${kind} ${o.kind === 'Workspace' || o.kind === 'ClusterApp' ? o.name : keyOf(o)}`;
      const first = seen.get(id);
      if (first !== undefined) {
        const also = first.at('');
        this.add(o.at('metadata.name'), `${id} appears twice in the snapshot (also at ${also.path}${also.line ? `, line ${also.line}` : ''}); `
          + 'keep one copy of each object');
        continue;
      }
      seen.set(id, o);
      this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), o]);
    }
  }

  private add(w: Where, message: string): void {
    this.problems.add(w.path, message, w.line);
  }

  private all(kind: Kind): SnapshotObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** A name the fleet file will hold: a Kubernetes name (RFC 1123 label). */
  private fleetName(value: string, w: Where, what: string): boolean {
    const p = dnsLabelProblem(value);
    if (p !== undefined) this.add(w, `${p} (it becomes the name of a ${what} in the fleet file)`);
    return p === undefined;
  }

  /** The Kubernetes version at `path` of an object, without its leading `v`; undefined when absent or refused. */
  private version(o: SnapshotObject, path: string): string | undefined {
    const v = field(o, path);
    return v === undefined || v === null ? undefined : this.checkVersion(v, o.at(path));
  }

  private checkVersion(value: unknown, w: Where): string | undefined {
    const found = new Problems();
    const r = kubernetesVersion()(value, w.path, found);
    for (const p of found.all) this.add({ path: p.path, line: w.line }, p.message);
    return r === INVALID ? undefined : r;
  }

  public build(): Inventory | undefined {
    const before = this.problems.count;
    const clusters = new Map(this.all('Cluster').map((c) => [keyOf(c), c]));
    const kcps = new Map(this.all('KubeadmControlPlane').map((c) => [keyOf(c), c]));
    const pools = this.machineDeployments(clusters);
    const kommanderClusters = this.kommanderClusters(clusters);
    const mgmtObject = this.managementCluster(clusters, kommanderClusters);
    const workspaces = this.workspaceObjects();
    const projects = this.projectObjects(workspaces);
    const apps = this.appDeployments(workspaces, projects);
    if (mgmtObject === undefined || this.problems.count > before) return undefined;

    const konvoy = (c: SnapshotObject): InvManaged | undefined => this.managed(c, kcps, pools);
    const mgmt = konvoy(mgmtObject.cluster);
    if (mgmt === undefined) return undefined;
    if (mgmtObject.note !== undefined) this.notes.push(mgmtObject.note);
    const mgmtApps = apps.get(MANAGEMENT_WORKSPACE_NAMESPACE) ?? emptyApps();
    const kommanderApps = mgmtApps.platform.filter((a) => KOMMANDER_APPS.includes(a.id));
    const management: InvManagement = {
      ...mgmt,
      apps: { ...mgmtApps, platform: mgmtApps.platform.filter((a) => !KOMMANDER_APPS.includes(a.id)) },
      kommanderApps,
    };

    // Workspace clusters, from the KommanderClusters in each workspace namespace.
    const used = new Set<string>([keyOf(mgmtObject.cluster)]);
    const fleetNames = new Map<string, Where>([[mgmt.name, mgmtObject.cluster.at('metadata.name')]]);
    const byWorkspace = new Map<string, InvCluster[]>();
    const kcName = new Map<string, string>(); // `namespace/KommanderCluster` -> fleet cluster name
    for (const kc of kommanderClusters) {
      if (kc.object === mgmtObject.kommanderCluster) continue;
      const ns = nsOf(kc.object);
      if (kc.capi !== undefined && keyOf(kc.capi) === keyOf(mgmtObject.cluster)) {
        this.leftOut.push(`${describe(kc.object)}: it references the management cluster (Cluster ${keyOf(kc.capi)}), which the fleet holds as spec.management`);
        continue;
      }
      const ws = workspaces.byNamespace.get(ns);
      if (ws === undefined || ns === MANAGEMENT_WORKSPACE_NAMESPACE) {
        this.add(kc.object.at('metadata.namespace'), `${describe(kc.object)} is in namespace ${show(ns)}, which is no workspace's namespace in the snapshot; `
          + getAlso('workspaces.workspaces.kommander.mesosphere.io'));
        continue;
      }
      let cluster: InvCluster | undefined;
      if (kc.capi !== undefined) {
        if (used.has(keyOf(kc.capi))) {
          this.add(kc.object.at('spec.clusterRef.capiCluster.name'), `${describe(kc.object)} references Cluster ${keyOf(kc.capi)}, which another `
            + 'KommanderCluster references too; one cluster is in one workspace');
          continue;
        }
        used.add(keyOf(kc.capi));
        cluster = konvoy(kc.capi);
        if (cluster !== undefined && kc.object.name !== cluster.name) {
          cluster.notes.push(`inferred: ${describe(kc.object)} manages Cluster ${keyOf(kc.capi)}; the fleet names the cluster after its Cluster API Cluster`);
        }
      } else {
        cluster = this.attached(kc.object);
      }
      if (cluster === undefined) continue;
      const secret = str(kc.object, 'spec.kubeconfigRef.name');
      if (secret !== undefined && secret !== `${cluster.name}-kubeconfig`) cluster = { ...cluster, kubeconfigSecret: secret };
      const other = fleetNames.get(cluster.name);
      if (other !== undefined) {
        this.add(kc.object.at('metadata.name'), `cluster name ${show(cluster.name)} (${describe(kc.object)}) is also the name of the cluster at `
          + `${other.path}${other.line ? ` (line ${other.line})` : ''}; cluster names are unique in a fleet file (they name its layers)`);
        continue;
      }
      fleetNames.set(cluster.name, kc.object.at('metadata.name'));
      kcName.set(keyOf(kc.object), cluster.name);
      byWorkspace.set(ws.name, [...(byWorkspace.get(ws.name) ?? []), cluster]);
    }
    for (const c of this.all('Cluster')) {
      if (!used.has(keyOf(c))) this.leftOut.push(`Cluster ${keyOf(c)}: no KommanderCluster references it, so it is in no workspace`);
    }

    const invWorkspaces: InvWorkspace[] = [];
    for (const w of workspaces.list) {
      if (w.namespace === MANAGEMENT_WORKSPACE_NAMESPACE) continue;
      const wsClusters = (byWorkspace.get(w.name) ?? []).sort((a, b) => cmp(a.name, b.name));
      const clusterNames = new Set(wsClusters.map((c) => c.name));
      const wsProjects: InvProject[] = [];
      for (const p of projects.filter((x) => x.workspace === w.name)) {
        const notes: string[] = [];
        let placed: string[] | undefined;
        if (p.placement.kind === 'clusters') {
          placed = [];
          for (const n of p.placement.names) {
            const fleetName = kcName.get(key(w.namespace, n)) ?? (clusterNames.has(n) ? n : undefined);
            if (fleetName === undefined || !clusterNames.has(fleetName)) {
              notes.push(`left out: the placement names cluster ${show(n)}, which is no cluster of workspace ${w.name} in the snapshot`);
            } else if (!placed.includes(fleetName)) {
              placed.push(fleetName);
            }
          }
          placed.sort(cmp);
        } else if (p.placement.kind === 'selector') {
          notes.push(`inferred: project ${p.name} is placed by a clusterSelector, which the snapshot cannot resolve (cluster labels are not in it); `
            + 'taken as all clusters of the workspace');
        } else {
          notes.push(`inferred: project ${p.name} has no spec.placement; taken as all clusters of the workspace`);
        }
        const pApps = apps.get(p.namespace) ?? emptyApps();
        wsProjects.push({ name: p.name, namespace: p.namespace, ...(placed === undefined ? {} : { clusters: placed }), apps: pApps, notes });
      }
      wsProjects.sort((a, b) => cmp(a.name, b.name));
      const wApps = apps.get(w.namespace) ?? emptyApps();
      const appCount = (a: InvApps) => a.platform.length + a.catalog.length + a.custom.length;
      const deployments = (this.deploymentsIn.get(w.namespace) ?? 0) + wsProjects.reduce((n, p) => n + (this.deploymentsIn.get(p.namespace) ?? 0), 0);
      const inUse = wsClusters.length > 0 || deployments > 0 || appCount(wApps) > 0;
      invWorkspaces.push({ name: w.name, namespace: w.namespace, clusters: wsClusters, apps: wApps, projects: wsProjects, inUse });
      if (!inUse) this.leftOut.push(`workspace ${w.name} (namespace ${w.namespace}): no clusters and no AppDeployments`);
    }
    invWorkspaces.sort((a, b) => cmp(a.name, b.name));
    for (const w of invWorkspaces.filter((x) => x.inUse)) {
      this.fleetName(w.name, workspaces.byName.get(w.name)!.at('metadata.name'), 'workspace');
      this.fleetName(w.namespace, workspaces.byName.get(w.name)!.at('metadata.name'), 'workspace namespace');
    }
    if (this.problems.count > before) return undefined;
    return {
      management,
      workspaces: invWorkspaces,
      running: this.runningRelease(management, invWorkspaces),
      leftOut: [...this.leftOut, ...this.appsLeftOut].sort(cmp),
      notes: this.notes,
    };
  }

  /** MachineDeployments by cluster (`namespace/cluster`), sorted by name; those a topology owns are left out. */
  private machineDeployments(clusters: ReadonlyMap<string, SnapshotObject>): Map<string, { md: SnapshotObject; owned: boolean }[]> {
    const out = new Map<string, { md: SnapshotObject; owned: boolean }[]>();
    for (const md of this.all('MachineDeployment')) {
      const labels = field(md, 'metadata.labels');
      const labelled = isMapping(labels) ? labels['cluster.x-k8s.io/cluster-name'] : undefined;
      const label = typeof labelled === 'string' && labelled !== '' ? labelled : undefined;
      const cluster = str(md, 'spec.clusterName') ?? label;
      if (cluster === undefined) {
        this.add(md.at('spec'), `${describe(md)} names no cluster (neither spec.clusterName nor label cluster.x-k8s.io/cluster-name)`);
        continue;
      }
      if (!clusters.has(key(nsOf(md), cluster))) {
        this.add(md.at(str(md, 'spec.clusterName') !== undefined ? 'spec.clusterName' : 'metadata.labels'), `${describe(md)} belongs to cluster `
          + `${show(cluster)}, which is not in the snapshot (no Cluster ${key(nsOf(md), cluster)}); ${getAlso('clusters.cluster.x-k8s.io')}`);
        continue;
      }
      const owned = isMapping(labels) && Object.prototype.hasOwnProperty.call(labels, 'topology.cluster.x-k8s.io/owned');
      const k = key(nsOf(md), cluster);
      out.set(k, [...(out.get(k) ?? []), { md, owned }]);
    }
    for (const list of out.values()) list.sort((a, b) => cmp(a.md.name, b.md.name));
    return out;
  }

  private kommanderClusters(clusters: ReadonlyMap<string, SnapshotObject>): { object: SnapshotObject; capi?: SnapshotObject }[] {
    const out: { object: SnapshotObject; capi?: SnapshotObject }[] = [];
    for (const kc of this.all('KommanderCluster')) {
      const ref = field(kc, 'spec.clusterRef.capiCluster');
      if (!isMapping(ref)) {
        out.push({ object: kc });
        continue;
      }
      const name = typeof ref.name === 'string' ? ref.name : undefined;
      const namespace = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : nsOf(kc);
      if (name === undefined) {
        this.add(kc.at('spec.clusterRef.capiCluster'), `${describe(kc)} references a Cluster API Cluster without a name`);
        continue;
      }
      const capi = clusters.get(key(namespace, name));
      if (capi === undefined) {
        this.add(kc.at('spec.clusterRef.capiCluster.name'), `${describe(kc)} references Cluster ${key(namespace, name)}, which is not in the snapshot; `
          + getAlso('clusters.cluster.x-k8s.io'));
        continue;
      }
      out.push({ object: kc, capi });
    }
    return out.sort((a, b) => cmp(keyOf(a.object), keyOf(b.object)));
  }

  /**
   * The management cluster: the Cluster API Cluster of the KommanderCluster in namespace
   * `kommander` (the host cluster); without that reference, the only Cluster in namespace
   * `default` no other KommanderCluster references.
   */
  private managementCluster(
    clusters: ReadonlyMap<string, SnapshotObject>, kcs: readonly { object: SnapshotObject; capi?: SnapshotObject }[],
  ): { cluster: SnapshotObject; kommanderCluster?: SnapshotObject; note?: string } | undefined {
    const hosts = kcs.filter((k) => nsOf(k.object) === MANAGEMENT_WORKSPACE_NAMESPACE);
    // A host whose reference is broken was reported already: guessing another management cluster would mislead.
    const broken = this.all('KommanderCluster').some((kc) => nsOf(kc) === MANAGEMENT_WORKSPACE_NAMESPACE && !kcs.some((k) => k.object === kc));
    if (broken) return undefined;
    if (hosts.length > 1) {
      for (const h of hosts.slice(1)) {
        this.add(h.object.at('metadata.name'), `two management candidates: ${describe(hosts[0].object)} and ${describe(h.object)} are both in namespace `
          + `${MANAGEMENT_WORKSPACE_NAMESPACE}, where only the host cluster's KommanderCluster lives; remove the one that is not the management cluster `
          + 'from the snapshot');
      }
      return undefined;
    }
    const host = hosts[0];
    if (host?.capi !== undefined) return { cluster: host.capi, kommanderCluster: host.object };
    // Every reference counts, also one to a Cluster the snapshot lacks (that is a problem of its own).
    const referenced = new Set(this.all('KommanderCluster').map(capiRef).filter((r) => r !== undefined));
    const candidates = [...clusters.values()].filter((c) => nsOf(c) === MANAGEMENT_CAPI_NAMESPACE && !referenced.has(keyOf(c)))
      .sort((a, b) => cmp(a.name, b.name));
    const why = host === undefined
      ? `the snapshot has no KommanderCluster in namespace ${MANAGEMENT_WORKSPACE_NAMESPACE} (the host cluster)`
      : `${describe(host.object)} (the host cluster) has no spec.clusterRef.capiCluster`;
    const fix = host === undefined
      ? getAlso('kommanderclusters.kommander.mesosphere.io')
      : `in the snapshot, set spec.clusterRef.capiCluster {name, namespace} of ${describe(host.object)} to the management cluster's Cluster`;
    const where = host?.object.at('spec') ?? { path: '(document)' };
    if (candidates.length === 1) {
      return {
        cluster: candidates[0],
        kommanderCluster: host?.object,
        note: `inferred: the management cluster is Cluster ${keyOf(candidates[0])}: ${why}, and it is the only Cluster in namespace `
          + `${MANAGEMENT_CAPI_NAMESPACE} that no other KommanderCluster references`,
      };
    }
    if (candidates.length === 0) {
      this.add(where, `no management cluster: ${why}, and every Cluster in namespace ${MANAGEMENT_CAPI_NAMESPACE} (where DKP creates it) `
        + `is another KommanderCluster's or there is none; ${fix}`);
    } else {
      this.add(where, `two management candidates: ${why}, and ${candidates.map((c) => `Cluster ${keyOf(c)}`).join(', ')} are all in namespace `
        + `${MANAGEMENT_CAPI_NAMESPACE} without a KommanderCluster; ${fix}`);
    }
    return undefined;
  }

  private managed(
    c: SnapshotObject, kcps: ReadonlyMap<string, SnapshotObject>, pools: ReadonlyMap<string, { md: SnapshotObject; owned: boolean }[]>,
  ): InvManaged | undefined {
    const before = this.problems.count;
    this.fleetName(c.name, c.at('metadata.name'), 'cluster');
    const kind = str(c, 'spec.infrastructureRef.kind');
    const provider = kind === undefined || !Object.prototype.hasOwnProperty.call(INFRASTRUCTURE_KINDS, kind) ? undefined : INFRASTRUCTURE_KINDS[kind];
    const kinds = Object.entries(INFRASTRUCTURE_KINDS).map(([k, p]) => `${k} (${p})`).join(', ');
    if (kind === undefined) {
      this.add(c.at('spec.infrastructureRef'), `${describe(c)} has no spec.infrastructureRef.kind, which tells its infrastructure provider; `
        + `expected one of ${kinds}`);
    } else if (provider === undefined) {
      this.add(c.at('spec.infrastructureRef.kind'), `${describe(c)} runs on ${show(kind)}, an infrastructure dkp-fleet does not upgrade; `
        + `known infrastructure kinds: ${kinds}`);
    }
    const topology = isMapping(field(c, 'spec.topology'));
    const notes: string[] = [];
    let version: string | undefined;
    let versionSource: string;
    let controlPlane: string | undefined;
    if (topology) {
      versionSource = `${describe(c)} spec.topology.version`;
      version = this.version(c, 'spec.topology.version');
      if (version === undefined && field(c, 'spec.topology.version') === undefined) {
        this.add(c.at('spec.topology'), `${describe(c)} is a ClusterClass cluster without spec.topology.version`);
      }
    } else {
      const ref = field(c, 'spec.controlPlaneRef');
      const refKind = str(c, 'spec.controlPlaneRef.kind');
      controlPlane = str(c, 'spec.controlPlaneRef.name');
      versionSource = `KubeadmControlPlane ${key(nsOf(c), controlPlane ?? `${c.name}-control-plane`)}`;
      if (!isMapping(ref) || controlPlane === undefined) {
        this.add(c.at('spec'), `${describe(c)} has no spec.controlPlaneRef (and no spec.topology); dkp-fleet upgrades clusters through their `
          + 'KubeadmControlPlane or their topology');
      } else if (refKind !== undefined && refKind !== 'KubeadmControlPlane') {
        this.add(c.at('spec.controlPlaneRef.kind'), `${describe(c)} has a ${show(refKind)} control plane; `
          + 'dkp-fleet upgrades KubeadmControlPlane control planes only');
      } else {
        const namespace = str(c, 'spec.controlPlaneRef.namespace') ?? nsOf(c);
        const kcp = kcps.get(key(namespace, controlPlane));
        versionSource = `KubeadmControlPlane ${key(namespace, controlPlane)}`;
        if (kcp === undefined) {
          this.add(c.at('spec.controlPlaneRef.name'), `${versionSource}, the control plane of ${describe(c)}, is not in the snapshot; `
            + getAlso('kubeadmcontrolplanes.controlplane.cluster.x-k8s.io'));
        } else {
          this.fleetName(controlPlane, kcp.at('metadata.name'), 'control plane');
          version = this.version(kcp, 'spec.version');
          if (version === undefined && field(kcp, 'spec.version') === undefined) {
            this.add(kcp.at('spec'), `${describe(kcp)} has no spec.version, the cluster's Kubernetes version`);
          }
        }
      }
    }
    const nodePools: InvNodePool[] = [];
    for (const { md, owned } of pools.get(keyOf(c)) ?? []) {
      if (owned) continue;
      if (topology) {
        this.leftOut.push(`${describe(md)}: ClusterClass cluster ${c.name} has it outside its topology; dkp-fleet upgrades ClusterClass clusters `
          + 'through spec.topology.version only');
        continue;
      }
      if (!this.fleetName(md.name, md.at('metadata.name'), 'node pool')) continue;
      const v = this.version(md, 'spec.template.spec.version');
      const poolNotes: string[] = [];
      if (v === undefined && field(md, 'spec.template.spec.version') === undefined) {
        poolNotes.push(`inferred: ${describe(md)} has no spec.template.spec.version; taken as the control plane's`);
      }
      nodePools.push({ name: md.name, version: v ?? version ?? '', source: keyOf(md), notes: poolNotes });
    }
    if (this.problems.count > before || version === undefined || provider === undefined) return undefined;
    return {
      type: 'managed',
      name: c.name,
      provider,
      namespace: nsOf(c),
      topology,
      version,
      versionSource,
      ...(controlPlane === undefined ? {} : { controlPlane }),
      nodePools,
      source: `Cluster ${keyOf(c)}`,
      notes,
    };
  }

  private attached(kc: SnapshotObject): InvAttached | undefined {
    if (!this.fleetName(kc.name, kc.at('metadata.name'), 'cluster')) return undefined;
    const raw = field(kc, 'status.kubernetesVersion');
    if (typeof raw !== 'string' || raw === '') {
      this.add(kc.at(raw === undefined ? 'status' : 'status.kubernetesVersion'), `${describe(kc)} is an attached cluster (no spec.clusterRef.capiCluster) `
        + 'without status.kubernetesVersion, its Kubernetes version; take the snapshot once Kommander has connected the cluster, or write the version '
        + 'into the snapshot');
      return undefined;
    }
    // Managed Kubernetes services report builds such as v1.21.14-eks-18ef993: the fleet wants the release.
    const m = /^v?(\d+\.\d+\.\d+)([-+].*)?$/.exec(raw);
    const notes: string[] = [];
    let version: string | undefined;
    if (m !== null && m[2] !== undefined) {
      version = this.checkVersion(m[1], kc.at('status.kubernetesVersion'));
      notes.push(`inferred: ${describe(kc)} reports Kubernetes ${show(raw)}; taken as ${m[1]}`);
    } else {
      version = this.version(kc, 'status.kubernetesVersion');
    }
    if (version === undefined) return undefined;
    return { type: 'attached', name: kc.name, version, versionSource: describe(kc), source: describe(kc), notes };
  }

  private workspaceObjects(): { list: { name: string; namespace: string }[]; byNamespace: Map<string, { name: string; namespace: string }>;
    byName: Map<string, SnapshotObject>; } {
    const list: { name: string; namespace: string }[] = [];
    const byNamespace = new Map<string, { name: string; namespace: string }>();
    const byName = new Map<string, SnapshotObject>();
    for (const w of [...this.all('Workspace')].sort((a, b) => cmp(a.name, b.name))) {
      const namespace = str(w, 'status.namespaceRef.name') ?? str(w, 'spec.namespaceName') ?? w.name;
      const other = byNamespace.get(namespace);
      if (other !== undefined) {
        this.add(w.at('metadata.name'), `Workspace ${w.name} has namespace ${show(namespace)}, which is also the namespace of Workspace ${other.name}`);
        continue;
      }
      const ws = { name: w.name, namespace };
      list.push(ws);
      byNamespace.set(namespace, ws);
      byName.set(w.name, w);
    }
    return { list, byNamespace, byName };
  }

  private projectObjects(workspaces: ReturnType<InventoryBuilder['workspaceObjects']>): {
    name: string; namespace: string; workspace: string; object: SnapshotObject;
    placement: { kind: 'clusters'; names: string[] } | { kind: 'selector' } | { kind: 'none' };
  }[] {
    const out: ReturnType<InventoryBuilder['projectObjects']> = [];
    for (const p of [...this.all('Project')].sort((a, b) => cmp(keyOf(a), keyOf(b)))) {
      const wsName = str(p, 'spec.workspaceRef.name') ?? workspaces.byNamespace.get(nsOf(p))?.name;
      const ws = wsName === undefined ? undefined : workspaces.list.find((w) => w.name === wsName);
      const namespace = str(p, 'status.namespaceRef.name') ?? str(p, 'spec.namespaceName') ?? p.name;
      if (ws === undefined) {
        this.leftOut.push(`${describe(p)}: its workspace ${show(wsName ?? nsOf(p))} is not in the snapshot`);
        continue;
      }
      if (ws.namespace === MANAGEMENT_WORKSPACE_NAMESPACE) {
        this.leftOut.push(`${describe(p)}: a project of the management cluster's workspace, which the fleet file has no place for`);
        continue;
      }
      if (!this.fleetName(p.name, p.at('metadata.name'), 'project') || !this.fleetName(namespace, p.at('metadata.name'), 'project namespace')) continue;
      const placement = field(p, 'spec.placement');
      let placed: { kind: 'clusters'; names: string[] } | { kind: 'selector' } | { kind: 'none' } = { kind: 'none' };
      if (isMapping(placement) && Array.isArray(placement.clusters)) {
        const names: string[] = [];
        placement.clusters.forEach((c, i) => {
          if (isMapping(c) && typeof c.name === 'string') names.push(c.name);
          else this.add(p.at(`spec.placement.clusters[${i}]`), `${describe(p)}: expected a placement {name: <cluster>}, got ${show(c)}`);
        });
        placed = { kind: 'clusters', names };
      } else if (isMapping(placement) && placement.clusterSelector !== undefined && placement.clusterSelector !== null) {
        placed = { kind: 'selector' };
      }
      out.push({ name: p.name, namespace, workspace: ws.name, object: p, placement: placed });
    }
    return out;
  }

  /** AppDeployments counted by namespace, whatever became of them. */
  private readonly deploymentsIn = new Map<string, number>();
  private readonly appsLeftOut: string[] = [];

  /** Every AppDeployment the fleet can hold, by namespace (the management cluster's, a workspace's or a project's). */
  private appDeployments(
    workspaces: ReturnType<InventoryBuilder['workspaceObjects']>, projects: ReturnType<InventoryBuilder['projectObjects']>,
  ): Map<string, InvApps> {
    const out = new Map<string, InvApps>();
    const projectNamespaces = new Map(projects.map((p) => [p.namespace, p]));
    for (const ad of [...this.all('AppDeployment')].sort((a, b) => cmp(keyOf(a), keyOf(b)))) {
      const ns = nsOf(ad);
      this.deploymentsIn.set(ns, (this.deploymentsIn.get(ns) ?? 0) + 1);
      const kind = str(ad, 'spec.appRef.kind');
      const refName = str(ad, 'spec.appRef.name');
      if (refName === undefined) {
        this.add(ad.at('spec.appRef'), `${describe(ad)} has no spec.appRef.name, the app it deploys`);
        continue;
      }
      if (kind !== 'ClusterApp' && kind !== 'App') {
        this.add(ad.at('spec.appRef.kind'), `${describe(ad)} references ${show(kind)}; expected ClusterApp or App`);
        continue;
      }
      const split = splitAppRef(refName, this.known);
      const source = `AppDeployment ${keyOf(ad)} (${kind} ${refName})`;
      const project = projectNamespaces.get(ns);
      if (ns !== MANAGEMENT_WORKSPACE_NAMESPACE && project === undefined && !workspaces.byNamespace.has(ns)) {
        this.appsLeftOut.push(`${source}: namespace ${ns} is no workspace's or project's in the snapshot`);
        continue;
      }
      if (ad.name !== split.id) {
        this.appsLeftOut.push(`${source}: deployed under another name than its app id ${show(split.id)}; the fleet file names each AppDeployment after `
          + 'its app, so synthesis would write a second one: upgrade it by hand, or redeploy it as ' + show(split.id));
        continue;
      }
      const overrides = str(ad, 'spec.configOverrides.name');
      const app: InvApp = { id: split.id, ...(split.version === undefined ? {} : { version: split.version }), kind, source,
        detail: `AppDeployment ${keyOf(ad)}, ${kind} ${refName}`,
        ...(overrides === undefined ? {} : { configOverrides: overrides }) };
      const apps = out.get(ns) ?? emptyApps();
      out.set(ns, apps);
      if (kind === 'ClusterApp') {
        if (project !== undefined) {
          this.appsLeftOut.push(`${source}: a platform app of project ${project.name}; the fleet file lists catalog and custom apps of projects only, `
            + 'so dkp-fleet leaves it as it is');
        } else if (this.known.platform.has(split.id)) {
          apps.platform.push(app);
        } else {
          this.appsLeftOut.push(`${source}: ${show(split.id)} is no platform app of any release dkp-fleet knows`);
        }
      } else if (this.known.catalog.has(split.id)) {
        apps.catalog.push(app);
      } else {
        apps.custom.push(app);
      }
    }
    return out;
  }

  /**
   * The release running now, from the version of the kommander app (its AppDeployment in
   * namespace kommander, else the only kommander ClusterApp of the snapshot) against the catalog's
   * kommander.appVersion; several releases ship one kommander version, so the platform apps'
   * versions decide between them.
   */
  private runningRelease(m: InvManagement, workspaces: readonly InvWorkspace[]): RunningRelease {
    let kommander = m.kommanderApps.find((a) => a.id === 'kommander');
    if (kommander === undefined) {
      const clusterApps = this.all('ClusterApp').map((o) => ({ o, split: splitAppRef(o.name, this.known) })).filter((x) => x.split.id === 'kommander');
      if (clusterApps.length === 1 && clusterApps[0].split.version !== undefined) {
        const source = `ClusterApp ${clusterApps[0].o.name}`;
        kommander = { id: 'kommander', version: clusterApps[0].split.version, kind: 'ClusterApp', source, detail: source };
      }
    }
    if (kommander?.version === undefined) {
      return { note: `currentRelease: unknown; the snapshot has no AppDeployment kommander in namespace ${MANAGEMENT_WORKSPACE_NAMESPACE} to read `
        + 'Kommander\'s version from: set spec.currentRelease to the DKP release running now' };
    }
    const releases = this.catalog.versions.map((v) => this.catalog.get(v)!);
    const candidates = releases.filter((r) => r.kommander.appVersion === kommander!.version);
    if (candidates.length === 0) {
      return { note: `currentRelease: unknown; ${kommander.source} runs kommander ${kommander.version}, which no release of the catalog ships: `
        + 'set spec.currentRelease to the DKP release running now' };
    }
    const running = [m.apps.platform, ...workspaces.map((w) => w.apps.platform)].flat().filter((a) => a.version !== undefined);
    const fits = candidates.filter((r) => running.every((a) => {
      const app = Object.prototype.hasOwnProperty.call(r.platformApps, a.id) ? r.platformApps[a.id] : undefined;
      return app === undefined || app.version === a.version;
    }));
    const ships = candidates.length === 1 ? `which release ${candidates[0].version} ships`
      : `which releases ${candidates.map((r) => r.version).join(', ')} ship`;
    if (candidates.length === 1) {
      return { version: candidates[0].version, note: `inferred: currentRelease from ${kommander.source}: kommander ${kommander.version}, ${ships}` };
    }
    if (fits.length === 1) {
      return {
        version: fits[0].version,
        note: `inferred: currentRelease from ${kommander.source}: kommander ${kommander.version}, ${ships}; of those, only ${fits[0].version} ships the `
          + 'versions of the platform apps running',
      };
    }
    return {
      note: `currentRelease: unknown; ${kommander.source} runs kommander ${kommander.version}, ${ships}, and the platform apps running `
        + `${fits.length === 0 ? 'match none of them' : `match ${fits.map((r) => r.version).join(', ')}`}: set spec.currentRelease to the one running now`,
    };
  }
}

/** `namespace/name` of the Cluster API Cluster a KommanderCluster references (its own namespace by default). */
function capiRef(kc: SnapshotObject): string | undefined {
  const ref = field(kc, 'spec.clusterRef.capiCluster');
  if (!isMapping(ref) || typeof ref.name !== 'string') return undefined;
  return key(typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : nsOf(kc), ref.name);
}

function emptyApps(): InvApps {
  return { platform: [], catalog: [], custom: [] };
}

/** Code-point order: the same on every machine (no locale). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The newest of the releases a current release can be upgraded to, for the comment asking for a target. */
export function nextReleases(catalog: ReleaseCatalog, current: string): string[] {
  return catalog.nextHops(current).map((r) => r.version).sort(semver.compare);
}
