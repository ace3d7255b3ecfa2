import { knownApps } from './apps';
import { compareInventory, Difference } from './compare';
import { InventoryBuilder } from './inventory-builder';
import { Inventory } from './model';
import { renderFleet } from './render';
import { nextReleases } from './running-release';
import { parseSnapshot } from './snapshot';
import { ReleaseCatalog } from '../catalog/catalog';
import { loadCatalog } from '../catalog/load-catalog';
import { checkFleetPaths } from '../fleet/fleet-paths';
import { parseFleet } from '../fleet/load-fleet';
import { releaseVersion } from '../input/formats';
import { FleetError, formatProblem, Problem, Problems, show } from '../input/problems';
import { INVALID } from '../input/schema';

/**
 * `inventory`: the fleet file from a read-only snapshot of a DKP management cluster, and the
 * differences between a snapshot and a fleet file (README, "The fleet file"). Plain functions:
 * text in, text or data out; every refusal is a FleetError naming the file, line and field.
 */

export type { Difference } from './compare';

/** The command that writes the snapshot these functions read. */
export const SNAPSHOT_COMMAND = 'kubectl get clusters.cluster.x-k8s.io,kubeadmcontrolplanes.controlplane.cluster.x-k8s.io,'
  + 'machinedeployments.cluster.x-k8s.io,workspaces.workspaces.kommander.mesosphere.io,projects.workspaces.kommander.mesosphere.io,'
  + 'kommanderclusters.kommander.mesosphere.io,appdeployments.apps.kommander.d2iq.io -A -o yaml > snapshot.yaml';

export interface InventoryOptions {
  /** The target DKP release (`--release`). @default - the current release, with a comment asking for the target */
  readonly release?: string;
  /** The DKP release running now. @default - inferred from the kommander app's version, when the snapshot tells */
  readonly currentRelease?: string;
  /** The snapshot file, as the user named it: problems name it, and the fleet file's header names its base name. */
  readonly file: string;
}

export interface Comparison {
  /** Every difference, in the fleet file's order; empty when the fleet file matches the cluster. */
  readonly differences: Difference[];
}

/** The built-in release catalog, read once: every release is parsed to learn the app ids. */
let builtIn: ReleaseCatalog | undefined;
const builtInCatalog = () => (builtIn ??= loadCatalog());

/** Reads a snapshot into an inventory. @throws FleetError naming every problem of the snapshot */
function readSnapshot(text: string, file: string, catalog: ReleaseCatalog): Inventory {
  const objects = parseSnapshot(text, file);
  const problems = new Problems(file);
  const inv = new InventoryBuilder(objects, catalog, knownApps(catalog), problems).build();
  if (inv === undefined || problems.count > 0) {
    throw new FleetError([...problems.all].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return inv;
}

function checkRelease(value: string | undefined, option: string, catalog: ReleaseCatalog, problems: Problems): void {
  if (value === undefined) return;
  if (releaseVersion()(value, option, problems) === INVALID) return;
  if (catalog.get(value) === undefined) {
    problems.add(option, `${show(value)} is not a release of the catalog; known releases: ${catalog.versions.join(', ')}`);
  }
}

/**
 * The fleet file of the fleet a snapshot shows (sorted, so the same snapshot gives the same text),
 * with a comment above each value the snapshot does not state.
 *
 * @throws FleetError naming every problem of the snapshot or the options
 */
export function inventory(snapshotText: string, options: InventoryOptions): string {
  const catalog = builtInCatalog();
  const optionProblems = new Problems();
  checkRelease(options.release, '--release', catalog, optionProblems);
  checkRelease(options.currentRelease, '--current-release', catalog, optionProblems);
  optionProblems.throwIfAny();
  const inv = readSnapshot(snapshotText, options.file, catalog);
  const current = options.currentRelease ?? inv.running.version;
  const text = renderFleet(inv, {
    file: options.file,
    release: options.release,
    currentRelease: current,
    currentReleaseNote: options.currentRelease === undefined ? inv.running.note : undefined,
    nextReleases: current === undefined ? [] : nextReleases(catalog, current),
  });
  selfCheck(text, options.release === undefined && current === undefined, options.file);
  return text;
}

/**
 * The fleet file written must load: a snapshot that gets past the checks above but not the fleet
 * loader is refused here, rather than handing the user a file synthesis refuses. A file without
 * `release` (no release known) is checked as if it had one.
 */
function selfCheck(text: string, withoutRelease: boolean, file: string): void {
  try {
    parseFleet(withoutRelease ? text.replace(/^spec:\n/m, 'spec:\n  release: 0.0.0\n') : text, 'fleet.yaml');
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    throw new FleetError(e.problems.map((p): Problem => ({
      file, path: '(inventory)', message: `the fleet file written from this snapshot would be refused: ${formatProblem(p)}`,
    })));
  }
}

/**
 * Every difference between a snapshot and a fleet file: clusters, node pools, workspaces and
 * projects on one side only, Kubernetes versions that differ, apps the cluster runs that the
 * fleet leaves out (they would stay on their old versions) and apps the fleet has that the
 * cluster does not run. Each names the fleet file's field path.
 *
 * @param fleetFile names the fleet file in problems, and anchors its `spec.catalog` folder
 * @param snapshotFile names the snapshot in problems
 * @throws FleetError naming every problem of the fleet file (as the fleet loader reports them) or the snapshot
 */
export function compare(snapshotText: string, fleetText: string, fleetFile: string, snapshotFile = 'snapshot.yaml'): Comparison {
  const loaded = parseFleet(fleetText, fleetFile);
  // the fleet's catalog folder is read as synthesis reads it: only inside the fleet file's folder
  const outside = checkFleetPaths(loaded.fleet, fleetFile);
  if (outside.length > 0) throw new FleetError(outside.map((p) => ({ ...p, file: p.file ?? fleetFile })));
  const catalog = loaded.fleet.catalogDir === undefined ? builtInCatalog() : loadCatalog(loaded.fleet.catalogDir);
  const inv = readSnapshot(snapshotText, snapshotFile, catalog);
  return { differences: compareInventory(inv, loaded.fleet, catalog) };
}
