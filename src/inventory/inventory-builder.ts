import { appDeployments, emptyApps } from './app-deployments';
import { KnownApps } from './apps';
import { kommanderClusters, machineDeployments, managementCluster } from './cluster-objects';
import { attached, managed } from './inventory-cluster';
import { inventoryWorkspaces } from './inventory-workspaces';
import { InvCluster, InvManagement, InvManaged, Inventory, KOMMANDER_APPS } from './model';
import { runningRelease } from './running-release';
import { describe, SnapshotObject } from './snapshot';
import { getAlso, keyOf, nsOf, SnapshotReader, str } from './snapshot-reader';
import { projectObjects, workspaceObjects } from './workspace-objects';
import { ReleaseCatalog } from '../catalog/catalog';
import { MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';
import { compareStrings } from '../input/compare';
import { Where } from '../input/kube-list';
import { Problems, show } from '../input/problems';

/**
 * What a snapshot of the management cluster says about the fleet (./model.ts), built from the
 * objects of the snapshot: the management cluster, then the workspace clusters (from the
 * KommanderClusters in each workspace namespace), the workspaces with their projects and apps,
 * and the release running now. Every fact the snapshot does not state is recorded as a note,
 * every contradiction as a problem.
 */

/** Builds an inventory; problems are recorded, and the result is undefined when any was. */
export class InventoryBuilder {
  private readonly snap: SnapshotReader;

  public constructor(
    objects: readonly SnapshotObject[],
    private readonly catalog: ReleaseCatalog,
    private readonly known: KnownApps,
    problems: Problems,
  ) {
    this.snap = new SnapshotReader(objects, problems);
  }

  public build(): Inventory | undefined {
    const snap = this.snap;
    const before = snap.problems.count;
    const clusters = new Map(snap.all('Cluster').map((c) => [keyOf(c), c]));
    const kcps = new Map(snap.all('KubeadmControlPlane').map((c) => [keyOf(c), c]));
    const pools = machineDeployments(snap, clusters);
    const kcs = kommanderClusters(snap, clusters);
    const mgmtObject = managementCluster(snap, clusters, kcs);
    const workspaces = workspaceObjects(snap);
    const projects = projectObjects(snap, workspaces);
    const apps = appDeployments(snap, this.known, workspaces, projects);
    if (mgmtObject === undefined || snap.problems.count > before) return undefined;

    const konvoy = (c: SnapshotObject): InvManaged | undefined => managed(snap, c, kcps, pools);
    const mgmt = konvoy(mgmtObject.cluster);
    if (mgmt === undefined) return undefined;
    if (mgmtObject.note !== undefined) snap.notes.push(mgmtObject.note);
    const mgmtApps = apps.byNamespace.get(MANAGEMENT_WORKSPACE_NAMESPACE) ?? emptyApps();
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
    for (const kc of kcs) {
      if (kc.object === mgmtObject.kommanderCluster) continue;
      const ns = nsOf(kc.object);
      if (kc.capi !== undefined && keyOf(kc.capi) === keyOf(mgmtObject.cluster)) {
        snap.leftOut.push(`${describe(kc.object)}: it references the management cluster (Cluster ${keyOf(kc.capi)}), which the fleet holds as spec.management`);
        continue;
      }
      const ws = workspaces.byNamespace.get(ns);
      if (ws === undefined || ns === MANAGEMENT_WORKSPACE_NAMESPACE) {
        snap.add(kc.object.at('metadata.namespace'), `${describe(kc.object)} is in namespace ${show(ns)}, which is no workspace's namespace in the snapshot; `
          + getAlso('workspaces.workspaces.kommander.mesosphere.io'));
        continue;
      }
      let cluster: InvCluster | undefined;
      if (kc.capi !== undefined) {
        if (used.has(keyOf(kc.capi))) {
          snap.add(kc.object.at('spec.clusterRef.capiCluster.name'), `${describe(kc.object)} references Cluster ${keyOf(kc.capi)}, which another `
            + 'KommanderCluster references too; one cluster is in one workspace');
          continue;
        }
        used.add(keyOf(kc.capi));
        cluster = konvoy(kc.capi);
        if (cluster !== undefined && kc.object.name !== cluster.name) {
          cluster.notes.push(`inferred: ${describe(kc.object)} manages Cluster ${keyOf(kc.capi)}; the fleet names the cluster after its Cluster API Cluster`);
        }
      } else {
        cluster = attached(snap, kc.object);
      }
      if (cluster === undefined) continue;
      const secret = str(kc.object, 'spec.kubeconfigRef.name');
      if (secret !== undefined && secret !== `${cluster.name}-kubeconfig`) cluster = { ...cluster, kubeconfigSecret: secret };
      const other = fleetNames.get(cluster.name);
      if (other !== undefined) {
        snap.add(kc.object.at('metadata.name'), `cluster name ${show(cluster.name)} (${describe(kc.object)}) is also the name of the cluster at `
          + `${other.path}${other.line ? ` (line ${other.line})` : ''}; cluster names are unique in a fleet file (they name its layers)`);
        continue;
      }
      fleetNames.set(cluster.name, kc.object.at('metadata.name'));
      kcName.set(keyOf(kc.object), cluster.name);
      byWorkspace.set(ws.name, [...(byWorkspace.get(ws.name) ?? []), cluster]);
    }
    for (const c of snap.all('Cluster')) {
      if (!used.has(keyOf(c))) snap.leftOut.push(`Cluster ${keyOf(c)}: no KommanderCluster references it, so it is in no workspace`);
    }

    const invWorkspaces = inventoryWorkspaces(snap, workspaces, projects, byWorkspace, kcName, apps);
    if (snap.problems.count > before) return undefined;
    return {
      management,
      workspaces: invWorkspaces,
      running: runningRelease(snap, this.catalog, this.known, management, invWorkspaces),
      leftOut: [...snap.leftOut, ...apps.leftOut].sort(compareStrings),
      notes: snap.notes,
    };
  }
}
