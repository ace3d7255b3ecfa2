import { describe, field, SnapshotObject } from './snapshot';
import { isMapping, keyOf, nsOf, SnapshotReader, str } from './snapshot-reader';
import { MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';
import { compareStrings } from '../input/compare';
import { show } from '../input/problems';

/** The snapshot's Workspaces and Projects, as the inventory's workspaces are built from them. */

/** A workspace: its name and namespace. */
export interface WorkspaceRef {
  name: string;
  namespace: string;
}

export interface WorkspaceObjects {
  /** Sorted by name. */
  list: WorkspaceRef[];
  byNamespace: Map<string, WorkspaceRef>;
  /** The Workspace objects, by name. */
  byName: Map<string, SnapshotObject>;
}

/** Where a project is placed: on clusters by name, by a clusterSelector, or nowhere said. */
export type Placement = { kind: 'clusters'; names: string[] } | { kind: 'selector' } | { kind: 'none' };

/** A Project the fleet file can hold. */
export interface ProjectObject {
  name: string;
  namespace: string;
  /** Its workspace's name. */
  workspace: string;
  object: SnapshotObject;
  placement: Placement;
}

/** The snapshot's Workspaces, sorted by name; a problem for two with one namespace. */
export function workspaceObjects(snap: SnapshotReader): WorkspaceObjects {
  const list: WorkspaceRef[] = [];
  const byNamespace = new Map<string, WorkspaceRef>();
  const byName = new Map<string, SnapshotObject>();
  for (const w of [...snap.all('Workspace')].sort((a, b) => compareStrings(a.name, b.name))) {
    const namespace = str(w, 'status.namespaceRef.name') ?? str(w, 'spec.namespaceName') ?? w.name;
    const other = byNamespace.get(namespace);
    if (other !== undefined) {
      snap.add(w.at('metadata.name'), `Workspace ${w.name} has namespace ${show(namespace)}, which is also the namespace of Workspace ${other.name}`);
      continue;
    }
    const ws = { name: w.name, namespace };
    list.push(ws);
    byNamespace.set(namespace, ws);
    byName.set(w.name, w);
  }
  return { list, byNamespace, byName };
}

/**
 * The snapshot's Projects the fleet file can hold, sorted by `namespace/name`, each with its
 * workspace and placement; the others are left out (the management cluster's workspace's, those
 * of a workspace the snapshot lacks).
 */
export function projectObjects(snap: SnapshotReader, workspaces: WorkspaceObjects): ProjectObject[] {
  const out: ProjectObject[] = [];
  for (const p of [...snap.all('Project')].sort((a, b) => compareStrings(keyOf(a), keyOf(b)))) {
    const wsName = str(p, 'spec.workspaceRef.name') ?? workspaces.byNamespace.get(nsOf(p))?.name;
    const ws = wsName === undefined ? undefined : workspaces.list.find((w) => w.name === wsName);
    const namespace = str(p, 'status.namespaceRef.name') ?? str(p, 'spec.namespaceName') ?? p.name;
    if (ws === undefined) {
      snap.leftOut.push(`${describe(p)}: its workspace ${show(wsName ?? nsOf(p))} is not in the snapshot`);
      continue;
    }
    if (ws.namespace === MANAGEMENT_WORKSPACE_NAMESPACE) {
      snap.leftOut.push(`${describe(p)}: a project of the management cluster's workspace, which the fleet file has no place for`);
      continue;
    }
    if (!snap.fleetName(p.name, p.at('metadata.name'), 'project') || !snap.fleetName(namespace, p.at('metadata.name'), 'project namespace')) continue;
    const placement = field(p, 'spec.placement');
    let placed: Placement = { kind: 'none' };
    if (isMapping(placement) && Array.isArray(placement.clusters)) {
      const names: string[] = [];
      placement.clusters.forEach((c, i) => {
        if (isMapping(c) && typeof c.name === 'string') names.push(c.name);
        else snap.add(p.at(`spec.placement.clusters[${i}]`), `${describe(p)}: expected a placement {name: <cluster>}, got ${show(c)}`);
      });
      placed = { kind: 'clusters', names };
    } else if (isMapping(placement) && placement.clusterSelector !== undefined && placement.clusterSelector !== null) {
      placed = { kind: 'selector' };
    }
    out.push({ name: p.name, namespace, workspace: ws.name, object: p, placement: placed });
  }
  return out;
}
