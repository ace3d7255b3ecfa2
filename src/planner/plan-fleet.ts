import { buildLayers } from './build-layers';
import { checkInvariants } from './invariants';
import { Layer } from './layer';
import { planApps } from './plan-apps';
import { planKonvoy } from './plan-konvoy';
import { manualSteps, planNotes } from './plan-notes';
import { resolveKubernetes } from './resolve-kubernetes';
import { resolveReleases } from './resolve-releases';
import { ReleaseCatalog } from '../catalog/catalog';
import { Release } from '../catalog/release';
import { AddonSources, EMPTY_ADDON_SOURCES } from '../fleet/addon-sources';
import { Fleet } from '../fleet/fleet';
import { Problems } from '../input/problems';

/** Everything the renderer needs: the layers in the order Flux will run them. */
export interface Plan {
  readonly fleet: Fleet;
  readonly release: Release;
  readonly currentRelease?: Release;
  /** Topological order: every layer after all of its dependencies. */
  readonly layers: readonly Layer[];
  /** What a reviewer should weigh: inferred facts the plan rests on, steps dkp-fleet leaves to people. */
  readonly notes: readonly string[];
  /** Documented steps people do before merging (beyond the ones every upgrade has). */
  readonly manualSteps: readonly string[];
}

/**
 * Plans the upgrade of a fleet to its target release: a pure function of the fleet, the
 * catalog and the addon files the fleet names (read beforehand), with no I/O and no constructs.
 *
 * @throws FleetError with every problem of the fleet (paths into the fleet file)
 * @throws Error when the planned layers break an ordering invariant (a bug in dkp-fleet)
 */
export function planFleet(fleet: Fleet, catalog: ReleaseCatalog, addonSources: AddonSources = EMPTY_ADDON_SOURCES): Plan {
  const problems = new Problems();
  const releases = resolveReleases(fleet, catalog, problems);
  // A wrong release or path makes every later check moot: report it alone.
  problems.throwIfAny();
  if (releases === undefined) {
    throw new Error('internal: releases unresolved without a problem');
  }
  const { target, current } = releases;
  const moves = resolveKubernetes(fleet, target, catalog, problems);
  const apps = planApps(fleet, target, current, moves, problems);
  const konvoy = fleet.konvoy.enabled ? planKonvoy(fleet, target, current, addonSources, problems) : undefined;
  problems.throwIfAny();
  const layers = buildLayers({ fleet, release: target, current, apps, moves, konvoy }, problems);
  problems.throwIfAny();
  const violations = checkInvariants(layers);
  if (violations.length > 0) {
    throw new Error(`internal: the planned layers break the ordering guarantees:\n  ${violations.join('\n  ')}`);
  }
  return {
    fleet, release: target, currentRelease: current, layers,
    notes: planNotes(fleet, target, current, layers, konvoy), manualSteps: manualSteps(target, current),
  };
}
