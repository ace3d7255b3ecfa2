import * as path from 'path';
import { loadCatalog } from './catalog/load-catalog';
import { joinParts, RenderedFolder, renderFolders } from './charts/render-folders';
import { loadAddonSources } from './fleet/addon-sources';
import { checkFleetPaths } from './fleet/fleet-paths';
import { loadFleet, LoadedFleet } from './fleet/load-fleet';
import { GatePlan, planGates } from './gates/gate-plan';
import { FleetError, located, Problem } from './input/problems';
import { byPath, folderFiles, OutputFile } from './output/dist-files';
import { FastYaml } from './output/fast-yaml';
import { checkRemovals } from './output/removal-guard';
import { withoutKeyMaterial } from './output/secret-scan';
import { writeAtomically } from './output/write-atomically';
import { planFleet, Plan } from './planner/plan-fleet';
import { NO_PROGRESS, Progress } from './progress';
import { accessFiles } from './rbac/rbac-files';
import { planDocument, PlanDocument } from './report/plan-document';
import { renderPlanMarkdown } from './report/plan-markdown';

export interface SynthOptions {
  /** The fleet file. */
  readonly fleetFile: string;
  /** Reports progress of the long steps. @default - nothing is reported */
  readonly progress?: Progress;
  /**
   * Folders outside the fleet file's folder that the folders it names (spec.catalog,
   * spec.konvoy.addons) may resolve into: only the command line grants these (--allow-read,
   * FLEET_ALLOW_READ), never the fleet file (README, "Security").
   * @default - none: every folder the fleet names must resolve inside the fleet file's folder
   */
  readonly allowRead?: readonly string[];
}

/** What a synthesis decided, before any object is rendered. */
export interface Planned {
  readonly loaded: LoadedFleet;
  readonly plan: Plan;
  readonly gates: GatePlan;
  readonly document: PlanDocument;
}

export interface SynthResult extends Planned {
  /** Every folder's objects, in layer order (the fleet folder last). */
  readonly folders: readonly RenderedFolder[];
  /** Every file of dist/, sorted by path. */
  readonly files: readonly OutputFile[];
}

/** What synthToDist wrote. */
export interface SynthSummary extends Planned {
  /** How many files dist/ now holds. */
  readonly fileCount: number;
}

/** Names the fleet file and its lines in problems that came from planning or rendering. */
function inFleetFile(problems: readonly Problem[], loaded: LoadedFleet): Problem[] {
  return located(problems.map((p) => (p.file === undefined ? { ...p, file: loaded.file } : p)), (p) => loaded.locate(p));
}

/** Runs `fn`, locating the problems of a FleetError it throws in the fleet file. */
function inFleet<T>(loaded: LoadedFleet, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FleetError) {
      throw new FleetError(inFleetFile(e.problems, loaded));
    }
    throw e;
  }
}

/**
 * Reads the fleet file and the catalog, plans, and decides how the layers are gated: every
 * check of the input happens here, before any object is rendered.
 *
 * @throws FleetError listing every problem of the input
 */
export function planSynthesis(options: SynthOptions): Planned {
  const loaded = loadFleet(options.fleetFile);
  return inFleet(loaded, () => {
    const outside = checkFleetPaths(loaded.fleet, loaded.file, options.allowRead);
    if (outside.length > 0) throw new FleetError(outside); // before any file of those folders is read
    const catalog = loadCatalog(loaded.fleet.catalogDir);
    const plan = planFleet(loaded.fleet, catalog, loadAddonSources(loaded.fleet));
    const gates = planGates(plan);
    // PLAN.md's document is built when first asked for (it is written last): not held while the folders render
    let document: PlanDocument | undefined;
    return { loaded, plan, gates, get document() { return (document ??= planDocument(plan, gates)); } };
  });
}

/**
 * The files of dist/, folder by folder as they are rendered (each folder's objects, then its
 * kustomization.yaml), and PLAN.md last. Only one folder is in memory at a time.
 */
export function* outputFiles(planned: Planned, progress: Progress = NO_PROGRESS, outdir = 'dist'): Generator<OutputFile> {
  const rendered = function* (): Generator<OutputFile> {
    const yaml = new FastYaml();
    for (const folder of renderFolders(planned.plan, planned.gates, progress)) {
      yield* folderFiles(folder, yaml);
    }
    yield* accessFiles(planned.plan, planned.gates, yaml); // dist/rbac/: applied by people, never by Flux
    yield { path: 'PLAN.md', content: renderPlanMarkdown(planned.document) };
  };
  // a file holding key material is never written: the synthesis is refused once every file was seen
  yield* withoutKeyMaterial(rendered(), outdir);
}

/**
 * Everything a synthesis produces, in memory: the plan and every output file. Reads the fleet
 * file and the catalog; writes nothing. For fleets of any size, synthToDist streams instead.
 *
 * @throws FleetError listing every problem of the input
 */
export function synthesize(options: SynthOptions): SynthResult {
  const planned = planSynthesis(options);
  const folders = joinParts([...renderFolders(planned.plan, planned.gates, options.progress)]);
  const yaml = new FastYaml();
  const rendered = [...folders.flatMap((f) => folderFiles(f, yaml)), ...accessFiles(planned.plan, planned.gates, yaml),
    { path: 'PLAN.md', content: renderPlanMarkdown(planned.document) }];
  const files = [...withoutKeyMaterial(rendered, 'dist')].sort(byPath);
  return { ...planned, folders, files };
}

/**
 * Synthesizes and replaces `outdir` atomically, rendering and writing one folder at a time: on
 * any problem it throws and `outdir` is left byte-for-byte as it was.
 *
 * @throws FleetError listing every problem of the input, or the Cluster API objects the new
 *   output would drop without the fleet saying so
 */
export function synthToDist(options: SynthOptions & { readonly outdir: string }): SynthSummary {
  const planned = planSynthesis(options);
  const fileCount = writeAtomically(path.resolve(options.outdir), outputFiles(planned, options.progress, options.outdir),
    (paths) => guardRemovals(planned, options.outdir, paths));
  return { ...planned, fileCount };
}

/**
 * Refuses output that would drop Cluster API objects the existing output has, unless the
 * fleet acknowledges it (README, "Removing clusters and objects").
 *
 * @param paths every file of the new output
 * @throws FleetError naming each dropped object and how to confirm the removal
 */
export function guardRemovals(planned: Planned, outdir: string, paths: readonly string[]): void {
  const problems = checkRemovals(planned.loaded.fleet, path.resolve(outdir), paths);
  if (problems.length > 0) {
    throw new FleetError(inFleetFile(problems, planned.loaded));
  }
}
