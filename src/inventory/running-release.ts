import * as semver from 'semver';
import { KnownApps, splitAppRef } from './apps';
import { InvManagement, InvWorkspace, RunningRelease } from './model';
import { SnapshotReader } from './snapshot-reader';
import { ReleaseCatalog } from '../catalog/catalog';
import { MANAGEMENT_WORKSPACE_NAMESPACE } from '../fleet/fleet';

/** The DKP release running now, as far as the snapshot tells, and the releases it can be upgraded to. */

/**
 * The release running now, from the version of the kommander app (its AppDeployment in
 * namespace kommander, else the only kommander ClusterApp of the snapshot) against the catalog's
 * kommander.appVersion; several releases ship one kommander version, so the platform apps'
 * versions decide between them.
 */
export function runningRelease(
  snap: SnapshotReader, catalog: ReleaseCatalog, known: KnownApps, m: InvManagement, workspaces: readonly InvWorkspace[],
): RunningRelease {
  let kommander = m.kommanderApps.find((a) => a.id === 'kommander');
  if (kommander === undefined) {
    const clusterApps = snap.all('ClusterApp').map((o) => ({ o, split: splitAppRef(o.name, known) })).filter((x) => x.split.id === 'kommander');
    if (clusterApps.length === 1 && clusterApps[0].split.version !== undefined) {
      const source = `ClusterApp ${clusterApps[0].o.name}`;
      kommander = { id: 'kommander', version: clusterApps[0].split.version, kind: 'ClusterApp', source, detail: source };
    }
  }
  if (kommander?.version === undefined) {
    return { note: `currentRelease: unknown; the snapshot has no AppDeployment kommander in namespace ${MANAGEMENT_WORKSPACE_NAMESPACE} to read `
      + 'Kommander\'s version from: set spec.currentRelease to the DKP release running now' };
  }
  const releases = catalog.versions.map((v) => catalog.get(v)!);
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

/** The newest of the releases a current release can be upgraded to, for the comment asking for a target. */
export function nextReleases(catalog: ReleaseCatalog, current: string): string[] {
  return catalog.nextHops(current).map((r) => r.version).sort(semver.compare);
}
