import { AppDeployments, emptyApps } from './app-deployments';
import { InvApps, InvCluster, InvProject, InvWorkspace } from './model';
import { key, SnapshotReader } from './snapshot-reader';
import { ProjectObject, WorkspaceObjects } from './workspace-objects';
import { MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';
import { compareStrings } from '../input/compare';
import { show } from '../input/problems';

/**
 * The workspaces of the inventory (all but the management cluster's), sorted by name: each with
 * its clusters, apps and projects (placed on clusters by their fleet names), and whether it
 * belongs in the fleet file; a workspace without clusters or AppDeployments is left out.
 *
 * @param clusters the clusters of each workspace, by workspace name
 * @param kcName the fleet name of each workspace cluster, by `namespace/KommanderCluster`
 */
export function inventoryWorkspaces(
  snap: SnapshotReader, workspaces: WorkspaceObjects, projects: readonly ProjectObject[], clusters: ReadonlyMap<string, InvCluster[]>,
  kcName: ReadonlyMap<string, string>, apps: AppDeployments,
): InvWorkspace[] {
  const invWorkspaces: InvWorkspace[] = [];
  for (const w of workspaces.list) {
    if (w.namespace === MANAGEMENT_WORKSPACE_NAMESPACE) continue;
    const wsClusters = (clusters.get(w.name) ?? []).sort((a, b) => compareStrings(a.name, b.name));
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
        placed.sort(compareStrings);
      } else if (p.placement.kind === 'selector') {
        notes.push(`inferred: project ${p.name} is placed by a clusterSelector, which the snapshot cannot resolve (cluster labels are not in it); `
          + 'taken as all clusters of the workspace');
      } else {
        notes.push(`inferred: project ${p.name} has no spec.placement; taken as all clusters of the workspace`);
      }
      const pApps = apps.byNamespace.get(p.namespace) ?? emptyApps();
      wsProjects.push({ name: p.name, namespace: p.namespace, ...(placed === undefined ? {} : { clusters: placed }), apps: pApps, notes });
    }
    wsProjects.sort((a, b) => compareStrings(a.name, b.name));
    const wApps = apps.byNamespace.get(w.namespace) ?? emptyApps();
    const appCount = (a: InvApps) => a.platform.length + a.catalog.length + a.custom.length;
    const deployments = (apps.deploymentsIn.get(w.namespace) ?? 0) + wsProjects.reduce((n, p) => n + (apps.deploymentsIn.get(p.namespace) ?? 0), 0);
    const inUse = wsClusters.length > 0 || deployments > 0 || appCount(wApps) > 0;
    invWorkspaces.push({ name: w.name, namespace: w.namespace, clusters: wsClusters, apps: wApps, projects: wsProjects, inUse });
    if (!inUse) snap.leftOut.push(`workspace ${w.name} (namespace ${w.namespace}): no clusters and no AppDeployments`);
  }
  invWorkspaces.sort((a, b) => compareStrings(a.name, b.name));
  for (const w of invWorkspaces.filter((x) => x.inUse)) {
    snap.fleetName(w.name, workspaces.byName.get(w.name)!.at('metadata.name'), 'workspace');
    snap.fleetName(w.namespace, workspaces.byName.get(w.name)!.at('metadata.name'), 'workspace namespace');
  }
  return invWorkspaces;
}
