import * as semver from 'semver';
import { ReleaseCatalog } from '../catalog/catalog';
import { Release } from '../catalog/release';
import { Fleet } from '../fleet/fleet';
import { minorOf } from '../input/formats';
import { Problems, show } from '../input/problems';

export interface ResolvedReleases {
  readonly target: Release;
  readonly current?: Release;
}

function known(catalog: ReleaseCatalog): string {
  const v = catalog.versions;
  return v.length > 8 ? `${v.slice(0, 3).join(', ')} ... ${v.slice(-3).join(', ')} (${v.length} releases)` : v.join(', ');
}

/**
 * Finds the target and current releases and checks the upgrade path between them: no
 * downgrade, no skipped DKP minor (naming the hop that comes first).
 *
 * @returns the releases, or `undefined` when problems were recorded
 */
export function resolveReleases(fleet: Fleet, catalog: ReleaseCatalog, problems: Problems): ResolvedReleases | undefined {
  const target = catalog.get(fleet.release);
  if (target === undefined) {
    problems.add('spec.release', `${show(fleet.release)} is not in the release catalog; known releases: ${known(catalog)}. `
      + 'Add a release file to the folder named by spec.catalog to use another release');
  }
  let current: Release | undefined;
  if (fleet.currentRelease !== undefined) {
    current = catalog.get(fleet.currentRelease);
    if (current === undefined) {
      problems.add('spec.currentRelease', `${show(fleet.currentRelease)} is not in the release catalog; known releases: ${known(catalog)}`);
    }
  } else if (fleet.flux.mode === 'kommander') {
    problems.add('spec.currentRelease', 'required in kommander mode: the layers run on the Flux bundled with the current release, '
      + 'and dkp-fleet must know which Flux that is');
  }
  if (target === undefined || (fleet.currentRelease !== undefined && current === undefined)) {
    return undefined;
  }
  if (current !== undefined) {
    checkPath(current.version, target.version, catalog, problems);
  }
  return { target, current };
}

function checkPath(from: string, to: string, catalog: ReleaseCatalog, problems: Problems): void {
  if (semver.lt(to, from)) {
    problems.add('spec.release', `${show(to)} is older than spec.currentRelease ${show(from)}; DKP cannot be downgraded`);
    return;
  }
  if (from === to || catalog.canUpgrade(from, to)) {
    return;
  }
  const path = catalog.path(from, to);
  const target = catalog.get(to)!;
  if (path !== undefined && path.length > 0) {
    const skipped = minorOf(path[0]) !== minorOf(from) && minorOf(path[0]) !== minorOf(to) ? `skips DKP ${minorOf(path[0])}; ` : '';
    problems.add('spec.release', `${show(to)} cannot be reached from ${show(from)} in one upgrade: ${skipped}`
      + `upgrade to ${path[0]} first (path: ${[from, ...path, to].join(' -> ')}); ${to} upgrades from ${target.upgradeFrom}`);
    return;
  }
  problems.add('spec.release', `${show(to)} cannot be upgraded to from ${show(from)}: release ${to} accepts ${show(target.upgradeFrom)}, `
    + `and no path of known releases leads there`);
}
