import { KnownApps, splitAppRef } from './apps';
import { InvApp, InvApps } from './model';
import { describe } from './snapshot';
import { keyOf, nsOf, SnapshotReader, str } from './snapshot-reader';
import { ProjectObject, WorkspaceObjects } from './workspace-objects';
import { MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';
import { compareStrings } from '../input/compare';
import { show } from '../input/problems';

/**
 * The apps of the snapshot: each AppDeployment as a platform, catalog or custom app of the
 * namespace it is in, or left out (and why).
 */

/** The AppDeployments of a snapshot, read. */
export interface AppDeployments {
  /** The apps, by namespace. */
  readonly byNamespace: Map<string, InvApps>;
  /** AppDeployments counted by namespace, whatever became of them. */
  readonly deploymentsIn: Map<string, number>;
  /** The AppDeployments the fleet file leaves out, and why. */
  readonly leftOut: string[];
}

export function emptyApps(): InvApps {
  return { platform: [], catalog: [], custom: [] };
}

/** Every AppDeployment the fleet can hold, by namespace (the management cluster's, a workspace's or a project's). */
export function appDeployments(
  snap: SnapshotReader, known: KnownApps, workspaces: WorkspaceObjects, projects: readonly ProjectObject[],
): AppDeployments {
  const out = new Map<string, InvApps>();
  const deploymentsIn = new Map<string, number>();
  const appsLeftOut: string[] = [];
  const projectNamespaces = new Map(projects.map((p) => [p.namespace, p]));
  for (const ad of [...snap.all('AppDeployment')].sort((a, b) => compareStrings(keyOf(a), keyOf(b)))) {
    const ns = nsOf(ad);
    deploymentsIn.set(ns, (deploymentsIn.get(ns) ?? 0) + 1);
    const kind = str(ad, 'spec.appRef.kind');
    const refName = str(ad, 'spec.appRef.name');
    if (refName === undefined) {
      snap.add(ad.at('spec.appRef'), `${describe(ad)} has no spec.appRef.name, the app it deploys`);
      continue;
    }
    if (kind !== 'ClusterApp' && kind !== 'App') {
      snap.add(ad.at('spec.appRef.kind'), `${describe(ad)} references ${show(kind)}; expected ClusterApp or App`);
      continue;
    }
    const split = splitAppRef(refName, known);
    const source = `AppDeployment ${keyOf(ad)} (${kind} ${refName})`;
    const project = projectNamespaces.get(ns);
    if (ns !== MANAGEMENT_WORKSPACE_NAMESPACE && project === undefined && !workspaces.byNamespace.has(ns)) {
      appsLeftOut.push(`${source}: namespace ${ns} is no workspace's or project's in the snapshot`);
      continue;
    }
    if (ad.name !== split.id) {
      appsLeftOut.push(`${source}: deployed under another name than its app id ${show(split.id)}; the fleet file names each AppDeployment after `
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
        appsLeftOut.push(`${source}: a platform app of project ${project.name}; the fleet file lists catalog and custom apps of projects only, `
          + 'so dkp-fleet leaves it as it is');
      } else if (known.platform.has(split.id)) {
        apps.platform.push(app);
      } else {
        appsLeftOut.push(`${source}: ${show(split.id)} is no platform app of any release dkp-fleet knows`);
      }
    } else if (known.catalog.has(split.id)) {
      apps.catalog.push(app);
    } else {
      apps.custom.push(app);
    }
  }
  return { byNamespace: out, deploymentsIn, leftOut: appsLeftOut };
}
