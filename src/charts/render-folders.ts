import { ApiObject, App } from 'cdk8s';
import { assertPruneProtected } from '../constructs/capi/capi-object';
import { Plan } from '../planner/plan-fleet';
import { NO_PROGRESS, Progress } from '../progress';
import { FleetChart, FLEET_FOLDER } from './fleet-chart';
import { LayerChart } from './layer-chart';
import { GatePlan } from '../gates/gate-plan';

/** The objects of one output folder. */
export interface RenderedFolder {
  /** Folder name under dist/: a layer name, or `fleet`. */
  readonly name: string;
  /** Objects, as JSON, with a file name each (unique in the folder). */
  readonly objects: readonly { readonly file: string; readonly object: Record<string, any> }[];
  /**
   * A large folder comes in parts (the fleet folder of a large fleet): this part is followed by
   * another of the same name, and the folder's kustomization.yaml comes with the last. @default false
   */
  readonly continues?: boolean;
  /** Every file of a folder that came in parts, given with its last part. @default - this folder's objects */
  readonly allFiles?: readonly string[];
}

/** The folders of a rendering with the parts of each joined (for callers that keep every folder in memory). */
export function joinParts(folders: readonly RenderedFolder[]): RenderedFolder[] {
  const out: RenderedFolder[] = [];
  let pending: RenderedFolder['objects'][number][] = [];
  for (const f of folders) {
    pending.push(...f.objects);
    if (f.continues) continue;
    out.push({ name: f.name, objects: pending });
    pending = [];
  }
  return out;
}

/** File name of an object in a layer folder: `<kind>.<namespace>.<name>.yaml` (`.` never occurs in a kind or namespace). */
export function objectFileName(o: Record<string, any>): string {
  const kind = String(o.kind).toLowerCase();
  const ns = o.metadata?.namespace;
  return ns ? `${kind}.${ns}.${o.metadata.name}.yaml` : `${kind}.${o.metadata.name}.yaml`;
}

/**
 * Guards of the whole output, checked folder by folder: no file collides in a folder; no object
 * is applied by two layers (Flux applies them all with one field manager, so two partial objects
 * would strip each other's fields); every Cluster API object is protected from pruning.
 */
class OutputGuard {
  private readonly owner = new Map<string, string>();
  private readonly targetOf: ReadonlyMap<string, string>;

  public constructor(plan: Plan) {
    this.targetOf = new Map(plan.layers.map((l) => [l.name, l.target.cluster]));
  }

  public check(f: RenderedFolder): void {
    const seen = new Set<string>();
    const cluster = f.name === FLEET_FOLDER ? 'fleet' : this.targetOf.get(f.name)!;
    for (const o of f.objects) {
      if (seen.has(o.file)) throw new Error(`internal: two objects of folder ${f.name} map to file ${o.file}`);
      seen.add(o.file);
      const key = `${cluster}|${o.object.apiVersion.split('/')[0]}/${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`;
      const other = this.owner.get(key);
      if (other !== undefined) throw new Error(`internal: ${key.slice(key.indexOf('|') + 1)} is applied by both ${other} and ${f.name}`);
      this.owner.set(key, f.name);
    }
    assertPruneProtected(f.objects.map((o) => o.object));
  }
}

/**
 * Validates a chart's constructs and renders its objects (one walk of its tree), then detaches
 * it, so its constructs can be freed.
 */
function renderChart(app: App, chart: LayerChart | FleetChart): Record<string, any>[] {
  const errors: string[] = [];
  const objects: ApiObject[] = [];
  for (const c of chart.node.findAll()) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    if (ApiObject.isApiObject(c)) objects.push(c);
  }
  if (errors.length > 0) {
    throw new Error(`internal: construct validation failed:\n  ${errors.join('\n  ')}`);
  }
  const rendered = objects.map((o) => o.toJson());
  app.node.tryRemoveChild(chart.node.id);
  return rendered;
}

/** Layers whose Kustomizations are built at once in the fleet folder. */
export const FLEET_BATCH = 500;

/**
 * Renders a plan folder by folder (each layer, then `fleet`): a folder's constructs are built,
 * rendered and dropped before the next, so memory stays flat however large the fleet.
 */
export function* renderFolders(plan: Plan, gates: GatePlan, progress: Progress = NO_PROGRESS, fleetBatch = FLEET_BATCH): Generator<RenderedFolder> {
  const app = new App({ outdir: '.cdk8s.out' });
  const guard = new OutputGuard(plan);
  for (const [i, layer] of plan.layers.entries()) {
    progress('rendering layers', i + 1, plan.layers.length);
    const chart = new LayerChart(app, {
      layer,
      appDeploymentApiVersion: plan.release.kommander.appDeploymentApiVersion,
      capiContract: plan.release.capiContract,
      ssaMerge: gates.profile.ssaMerge,
      jobGate: gates.jobGates.get(layer.name),
    });
    const folder = { name: layer.name, objects: renderChart(app, chart).map((object) => ({ file: objectFileName(object), object })) };
    guard.check(folder);
    yield folder;
  }
  // The fleet folder holds a Kustomization per layer: built, written and dropped in parts, so one part is in memory at a time.
  const allFiles: string[] = [];
  for (let start = 0; start < plan.layers.length; start += fleetBatch) {
    const fleetChart = new FleetChart(app, { plan, profile: gates.profile, gates: gates.healthGates, layers: plan.layers.slice(start, start + fleetBatch) });
    const objects = renderChart(app, fleetChart).map((object) => ({ file: `${object.metadata.name}.yaml`, object }));
    allFiles.push(...objects.map((o) => o.file));
    const last = start + fleetBatch >= plan.layers.length;
    const folder: RenderedFolder = { name: FLEET_FOLDER, objects, ...(last ? { allFiles } : { continues: true }) };
    guard.check(folder);
    yield folder;
  }
}
