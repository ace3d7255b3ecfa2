import * as path from 'path';
import { loadCatalog } from './catalog/load-catalog';
import { distFiles, OutputFile } from './output/dist-files';
import { Progress } from './output/progress';
import { checkRemovals } from './output/removal-guard';
import { writeAtomically } from './output/write-atomically';
import { planDocument, PlanDocument } from './plan/plan-document';
import { renderPlanMarkdown } from './plan/plan-markdown';
import { planFleet, Plan } from './planner/plan-fleet';
import { Rendered, renderPlan } from './render/render-plan';
import { loadAddonSources } from './spec/addon-sources';
import { loadFleet, LoadedFleet } from './spec/load-fleet';
import { FleetError, located, Problem } from './spec/problems';

export interface SynthOptions {
  /** The fleet file. */
  readonly fleetFile: string;
  /** Reports progress of the long steps. @default - nothing is reported */
  readonly progress?: Progress;
}

export interface SynthResult {
  readonly loaded: LoadedFleet;
  readonly plan: Plan;
  readonly rendered: Rendered;
  readonly document: PlanDocument;
  /** Every file of dist/, sorted by path. */
  readonly files: readonly OutputFile[];
}

/** Names the fleet file and its lines in problems that came from planning or rendering. */
function inFleetFile(problems: readonly Problem[], loaded: LoadedFleet): Problem[] {
  return located(problems.map((p) => (p.file === undefined ? { ...p, file: loaded.file } : p)), (p) => loaded.locate(p));
}

/**
 * Everything a synthesis produces, in memory: the plan and every output file. Reads the fleet
 * file and the catalog; writes nothing.
 *
 * @throws FleetError listing every problem of the input
 */
export function synthesize(options: SynthOptions): SynthResult {
  const loaded = loadFleet(options.fleetFile);
  try {
    const catalog = loadCatalog(loaded.fleet.catalogDir);
    const plan = planFleet(loaded.fleet, catalog, loadAddonSources(loaded.fleet));
    const rendered = renderPlan(plan, options.progress);
    const document = planDocument(plan, rendered);
    const files = [...distFiles(rendered.folders, options.progress), { path: 'PLAN.md', content: renderPlanMarkdown(document) }]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { loaded, plan, rendered, document, files };
  } catch (e) {
    if (e instanceof FleetError) {
      throw new FleetError(inFleetFile(e.problems, loaded));
    }
    throw e;
  }
}

/**
 * Synthesizes and replaces `outdir` atomically: on any problem it throws and `outdir` is
 * left byte-for-byte as it was.
 */
export function synthToDist(options: SynthOptions & { readonly outdir: string }): SynthResult {
  const result = synthesize(options);
  guardRemovals(result, options.outdir);
  writeAtomically(path.resolve(options.outdir), result.files, options.progress);
  return result;
}

/**
 * Refuses a result that would drop Cluster API objects the existing output has, unless the
 * fleet acknowledges it (README, "Removing clusters and objects").
 *
 * @throws FleetError naming each dropped object and how to confirm the removal
 */
export function guardRemovals(result: SynthResult, outdir: string): void {
  const problems = checkRemovals(result.loaded.fleet, path.resolve(outdir), result.files);
  if (problems.length > 0) {
    throw new FleetError(inFleetFile(problems, result.loaded));
  }
}
