import { InvApp, InvCluster, InvManaged, Inventory, InvProject, InvWorkspace, KOMMANDER_APPS } from './model';
import { ReleaseCatalog } from '../catalog/catalog';
import {
  CatalogAppRef, CustomApp, Fleet, KonvoyCluster, MANAGEMENT_WORKSPACE_NAMESPACE, PlatformAppRef, Project, Workspace, WorkspaceCluster,
} from '../fleet/fleet';
import { child, show } from '../input/problems';

/** One way the fleet file and the cluster disagree, at the fleet file's field that would change. */
export interface Difference {
  /** Field path in the fleet file, such as `spec.workspaces[0].clusters[1].kubernetesVersion`. */
  readonly path: string;
  readonly message: string;
}

const LEFT_BEHIND = 'it would stay on its old version while Kubernetes moves';

interface FleetApp {
  readonly name: string;
  readonly fieldPath: string;
  readonly kind: 'platform' | 'catalog' | 'custom';
}

/** A list of apps of the fleet beside the apps the cluster runs in the same namespace. */
interface AppScope {
  /** Where the apps run, for messages: `workspace "team-a"`. */
  readonly owner: string;
  readonly namespace: string;
  /** Path of the list a missing app goes in, by kind. */
  readonly listPath: Readonly<Record<'platform' | 'catalog' | 'custom', string>>;
}

const platformOf = (refs: readonly PlatformAppRef[]): FleetApp[] => refs.map((r) => ({ name: r.name, fieldPath: r.fieldPath, kind: 'platform' }));
const appsOf = (catalog: readonly CatalogAppRef[], custom: readonly CustomApp[]): FleetApp[] => [
  ...catalog.map((r) => ({ name: r.name, fieldPath: r.fieldPath, kind: 'catalog' as const })),
  ...custom.map((r) => ({ name: r.name, fieldPath: r.fieldPath, kind: 'custom' as const })),
];

class Comparison {
  public readonly differences: Difference[] = [];

  public constructor(private readonly fleet: Fleet, private readonly catalog: ReleaseCatalog) {}

  private add(path: string, message: string): void {
    this.differences.push({ path, message });
  }

  /** Platform apps (ClusterApps) on one side, catalog and custom apps (Apps) on the other: each compared by name. */
  private apps(scope: AppScope, fleetApps: readonly FleetApp[], running: readonly InvApp[], kindOf: (a: InvApp) => 'platform' | 'catalog' | 'custom',
    defaults?: { readonly names: readonly string[]; readonly release: string }): void {
    const names = new Set(fleetApps.map((a) => a.name));
    const runs = new Set(running.map((a) => a.id));
    for (const a of running) {
      if (names.has(a.id) || defaults?.names.includes(a.id)) continue;
      const kind = kindOf(a);
      this.add(scope.listPath[kind], `${kind} app ${show(a.id)} is enabled in ${scope.owner} (${a.detail}) but absent from the fleet: ${LEFT_BEHIND}`);
    }
    for (const a of fleetApps) {
      if (!runs.has(a.name)) {
        this.add(a.fieldPath, `${a.kind} app ${show(a.name)} is in the fleet, but ${scope.owner} does not run it `
          + `(no AppDeployment ${scope.namespace}/${a.name})`);
      }
    }
    for (const name of defaults?.names ?? []) {
      if (!runs.has(name)) {
        this.add(scope.listPath.platform, `the fleet lists no platformApps, so release ${defaults!.release}'s default ${show(name)} would be deployed; `
          + `${scope.owner} does not run it (no AppDeployment ${scope.namespace}/${name})`);
      }
    }
  }

  private version(at: string, fleetVersion: string, running: string, source: string, byDefault = false): void {
    if (fleetVersion !== running) {
      this.add(child(at, 'kubernetesVersion'), `the fleet says ${fleetVersion}${byDefault ? ' (the cluster\'s version)' : ''}; `
        + `${source} runs ${running}`);
    }
  }

  private konvoy(f: KonvoyCluster, c: InvManaged): void {
    const at = f.fieldPath;
    if (f.provider !== c.provider) this.add(child(at, 'provider'), `the fleet says ${f.provider}; ${c.source} runs on ${c.provider}`);
    if (f.namespace !== c.namespace) this.add(child(at, 'namespace'), `the fleet says ${show(f.namespace)}; ${c.source} is in namespace ${show(c.namespace)}`);
    if (f.topology !== c.topology) {
      this.add(child(at, 'topology'), `the fleet says ${f.topology}; ${c.source} ${c.topology ? 'is' : 'is not'} a ClusterClass cluster (spec.topology)`);
    }
    this.version(at, f.kubernetesVersion, c.version, c.versionSource);
    if (!f.topology && !c.topology && c.controlPlane !== undefined && f.controlPlane.name !== c.controlPlane) {
      this.add(child(f.controlPlane.fieldPath, 'name'), `the fleet says ${show(f.controlPlane.name)}; the control plane of ${c.source} is `
        + `KubeadmControlPlane ${c.namespace}/${c.controlPlane}`);
    }
    const pools = new Map(f.nodePools.map((p) => [p.name, p]));
    for (const p of c.nodePools) {
      const fp = pools.get(p.name);
      if (fp === undefined) {
        this.add(child(at, 'nodePools'), `node pool ${show(p.name)} (MachineDeployment ${p.source}) is not in the fleet: it would stay on Kubernetes `
          + `${p.version} while the control plane moves`);
      } else if (!fp.removed) {
        this.version(fp.fieldPath, fp.kubernetesVersion, p.version, `MachineDeployment ${p.source}`, fp.kubernetesVersion === f.kubernetesVersion);
      }
    }
    const running = new Set(c.nodePools.map((p) => p.name));
    for (const p of f.nodePools) {
      if (!p.removed && !running.has(p.name)) {
        this.add(p.fieldPath, `node pool ${show(p.name)} is not in the snapshot: cluster ${show(f.name)} has no MachineDeployment ${f.namespace}/${p.name}`);
      }
    }
  }

  private cluster(f: WorkspaceCluster, c: InvCluster): void {
    if (f.type !== c.type) {
      this.add(child(f.fieldPath, 'type'), `the fleet says ${f.type}; ${c.type === 'managed' ? `${c.source} is a managed cluster`
        : `${c.source} is an attached cluster (no Cluster API Cluster)`}`);
      return;
    }
    if (f.type === 'managed' && c.type === 'managed') {
      this.konvoy(f, c);
    } else {
      this.version(f.fieldPath, f.kubernetesVersion, c.version, c.versionSource);
    }
    const secret = c.kubeconfigSecret ?? `${c.name}-kubeconfig`;
    if (f.kubeconfigSecret !== secret) {
      this.add(child(f.fieldPath, 'kubeConfig'), `the fleet's kubeconfig Secret is ${show(f.kubeconfigSecret)}; Kommander's is ${show(secret)}`);
    }
  }

  private project(f: Project, p: InvProject, wsClusters: readonly string[]): void {
    if (f.namespace !== p.namespace) {
      this.add(child(f.fieldPath, 'namespace'), `the fleet says ${show(f.namespace)}; project ${show(p.name)} has namespace ${show(p.namespace)}`);
    }
    if (p.clusters !== undefined) {
      const want = [...p.clusters].sort();
      const has = [...(f.clusters ?? wsClusters)].sort();
      if (want.join(',') !== has.join(',')) {
        this.add(child(f.fieldPath, 'clusters'), `the fleet places project ${show(p.name)} on ${has.join(', ') || 'no cluster'}`
          + `${f.clusters === undefined ? ' (every cluster of the workspace, by default)' : ''}; `
          + `its placement in the cluster is ${want.join(', ') || 'no cluster'}`);
      }
    }
    const scope: AppScope = {
      owner: `project ${show(p.name)}`,
      namespace: p.namespace,
      listPath: { platform: f.fieldPath, catalog: child(f.fieldPath, 'catalogApps'), custom: child(f.fieldPath, 'customApps') },
    };
    this.apps(scope, appsOf(f.catalogApps, f.customApps), [...p.apps.catalog, ...p.apps.custom], (a) => (p.apps.custom.includes(a) ? 'custom' : 'catalog'));
  }

  private workspace(f: Workspace, w: InvWorkspace): void {
    if (f.namespace !== w.namespace) {
      this.add(child(f.fieldPath, 'namespace'), `the fleet says ${show(f.namespace)}; workspace ${show(w.name)} has namespace ${show(w.namespace)}`);
    }
    const scope: AppScope = {
      owner: `workspace ${show(w.name)}`,
      namespace: w.namespace,
      listPath: { platform: child(f.fieldPath, 'platformApps'), catalog: child(f.fieldPath, 'catalogApps'), custom: child(f.fieldPath, 'customApps') },
    };
    const release = this.catalog.get(this.fleet.release);
    const defaults = f.platformApps === undefined ? { names: release?.defaultPlatformApps.workspace ?? [], release: this.fleet.release } : undefined;
    this.apps(scope, platformOf(f.platformApps ?? []), w.apps.platform, () => 'platform', defaults);
    this.apps(scope, appsOf(f.catalogApps, f.customApps), [...w.apps.catalog, ...w.apps.custom], (a) => (w.apps.custom.includes(a) ? 'custom' : 'catalog'));
    const projects = new Map(f.projects.map((p) => [p.name, p]));
    for (const p of w.projects) {
      const fp = projects.get(p.name);
      if (fp === undefined) {
        this.add(child(f.fieldPath, 'projects'), `project ${show(p.name)} (namespace ${p.namespace}) of workspace ${show(w.name)} is not in the fleet`
          + `${p.apps.catalog.length + p.apps.custom.length > 0 ? `: its apps would stay on their old versions while Kubernetes moves` : ''}`);
      } else {
        this.project(fp, p, f.clusters.map((c) => c.name));
      }
    }
    const snapshotProjects = new Set(w.projects.map((p) => p.name));
    for (const p of f.projects) {
      if (!snapshotProjects.has(p.name)) this.add(p.fieldPath, `project ${show(p.name)} is not in the snapshot: workspace ${show(w.name)} has no such Project`);
    }
  }

  /** A cluster of the fleet against the snapshot's cluster of that name, wherever the snapshot has it. */
  private fleetCluster(f: Workspace, c: WorkspaceCluster, snapshot: ReadonlyMap<string, { w: InvWorkspace; c: InvCluster }>): void {
    const found = snapshot.get(c.name);
    if (found === undefined) {
      this.add(c.fieldPath, `cluster ${show(c.name)} is not in the snapshot: no KommanderCluster `
        + `${c.type === 'managed' ? 'references a Cluster API Cluster' : 'has'} of that name`);
      return;
    }
    if (found.w.name !== f.name) {
      this.add(c.fieldPath, `cluster ${show(c.name)} is in workspace ${show(f.name)} in the fleet; the snapshot has it in workspace ${show(found.w.name)}`);
    }
    this.cluster(c, found.c);
  }

  public run(inv: Inventory): Difference[] {
    const f = this.fleet;
    const m = inv.management;
    if (f.currentRelease !== undefined && inv.running.version !== undefined && f.currentRelease !== inv.running.version) {
      this.add('spec.currentRelease', `the fleet says ${f.currentRelease}; the cluster runs ${inv.running.version} `
        + `(${inv.running.note.replace(/^inferred: currentRelease /, '')})`);
    }
    if (f.management.name !== m.name) this.add('spec.management.name', `the fleet says ${show(f.management.name)}; the management cluster is ${m.source}`);
    this.konvoy(f.management, m);
    const mgmtScope: AppScope = {
      owner: 'the management cluster',
      namespace: MANAGEMENT_WORKSPACE_NAMESPACE,
      listPath: { platform: 'spec.management.platformApps', catalog: 'spec.management.catalogApps', custom: 'spec.management.customApps' },
    };
    // Kommander's own apps belong in spec.kommander.appDeployments; an entry in either list counts.
    const mgmtPlatform = [...platformOf(f.management.platformApps ?? []), ...platformOf(f.kommanderAppDeployments)];
    const isKommander = (a: FleetApp) => KOMMANDER_APPS.includes(a.name);
    this.apps(mgmtScope, mgmtPlatform.filter((a) => !isKommander(a)), m.apps.platform, () => 'platform');
    this.apps({ ...mgmtScope, listPath: { ...mgmtScope.listPath, platform: 'spec.kommander.appDeployments' } },
      mgmtPlatform.filter(isKommander), m.kommanderApps, () => 'platform');
    this.apps(mgmtScope, appsOf(f.management.catalogApps, f.management.customApps), [...m.apps.catalog, ...m.apps.custom],
      (a) => (m.apps.custom.includes(a) ? 'custom' : 'catalog'));

    // Clusters are matched by name across workspaces: a cluster in another workspace is one difference, not two.
    const snapshotClusters = new Map(inv.workspaces.flatMap((w) => w.clusters.map((c) => [c.name, { w, c }] as const)));
    const fleetClusters = new Set(f.workspaces.flatMap((w) => [...w.clusters, ...w.removedClusters].map((c) => c.name)));
    const snapshotWorkspaces = new Map(inv.workspaces.map((w) => [w.name, w]));
    for (const fw of f.workspaces) {
      const w = snapshotWorkspaces.get(fw.name);
      if (w === undefined) {
        this.add(fw.fieldPath, `workspace ${show(fw.name)} is not in the snapshot: there is no Workspace of that name`);
      } else {
        this.workspace(fw, w);
      }
      for (const c of fw.clusters) this.fleetCluster(fw, c, snapshotClusters);
      for (const c of w?.clusters ?? []) {
        if (!fleetClusters.has(c.name)) {
          this.add(child(fw.fieldPath, 'clusters'), `cluster ${show(c.name)} (${c.type === 'managed' ? c.source : `attached, ${c.source}`}) runs in `
            + `workspace ${show(w!.name)} but is not in the fleet: it would not be upgraded`);
        }
      }
    }
    const fleetWorkspaces = new Set(f.workspaces.map((w) => w.name));
    for (const w of inv.workspaces) {
      if (w.inUse && !fleetWorkspaces.has(w.name)) {
        const clusters = w.clusters.filter((c) => !fleetClusters.has(c.name)).map((c) => c.name);
        this.add('spec.workspaces', `workspace ${show(w.name)} (namespace ${w.namespace}) is not in the fleet: `
          + `${clusters.length > 0 ? `its clusters (${clusters.join(', ')}) and ` : ''}its apps would not be upgraded`);
      }
    }
    return this.differences;
  }
}

/** Every difference between what the snapshot shows and what the fleet file says, in the fleet file's order. */
export function compareInventory(inv: Inventory, fleet: Fleet, catalog: ReleaseCatalog): Difference[] {
  return new Comparison(fleet, catalog).run(inv);
}
