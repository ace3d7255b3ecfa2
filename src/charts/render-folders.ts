import { ApiObject, App } from 'cdk8s';
import { Plan } from '../planner/plan-fleet';
import { FleetError, Problem } from '../input/problems';
import { assertPruneProtected } from '../constructs/capi/capi-object';
import { NO_PROGRESS, Progress } from '../progress';
import { FleetChart, FLEET_FOLDER } from './fleet-chart';
import { fluxProfile, FluxProfile } from '../gates/flux-profile';
import { HealthCheck, Layer } from '../planner/layer';
import { durationMillis } from '../input/formats';
import { chartVersionUnknown, healthGate, HealthGate, kstatusProves } from '../gates/health-gate';
import { jobGateSpec, JobGateSpec } from '../constructs/gates/job-gate';
import { LayerChart } from './layer-chart';

/** The objects of one output folder. */
export interface RenderedFolder {
  /** Folder name under dist/: a layer name, or `fleet`. */
  readonly name: string;
  /** Objects, as JSON, with a file name each (unique in the folder). */
  readonly objects: readonly { readonly file: string; readonly object: Record<string, any> }[];
}

/** What rendering decides before any object is built: the Flux that runs the layers and each layer's gate. */
export interface RenderContext {
  readonly profile: FluxProfile;
  /** Health gate of each layer, by layer name. */
  readonly gates: ReadonlyMap<string, HealthGate>;
  /** Job gates, by layer name (Flux without CEL, with a gateImage). */
  readonly jobGates: ReadonlyMap<string, JobGateSpec>;
}

/**
 * Refuses a plan that needs a feature the reconciling Flux lacks (kommander mode runs on the
 * old Flux Kommander bundles: docs/facts/flux-features.md).
 */
function checkFluxSupport(plan: Plan, profile: FluxProfile): Problem[] {
  const problems: Problem[] = [];
  const flux = plan.fleet.flux;
  if (!profile.sourceKinds.includes(flux.sourceRef.kind)) {
    problems.push({ path: 'spec.flux.sourceRef.kind', message: `${flux.sourceRef.kind} is not supported by ${profile.description}; `
      + `it accepts ${profile.sourceKinds.join(', ')}` });
  }
  const patching = plan.layers.filter((l) => l.content.versionPatches.length > 0);
  if (patching.length > 0 && profile.ssaMerge === undefined) {
    problems.push({ path: 'spec.flux.mode', message: `kommander mode cannot run the Kubernetes layers (${patching[0].name}, ...): ${profile.description} `
      + 'lacks the kustomize.toolkit.fluxcd.io/ssa: merge annotation (kustomize-controller v0.22.0), without which Flux would take over '
      + 'fields of KubeadmControlPlane and MachineDeployment objects it does not own; use hub mode, or set spec.konvoy.enabled: false' });
  }
  return problems;
}

/**
 * A Job gate for a layer whose checks need more than kstatus, when the reconciling Flux has no
 * CEL and the fleet names a `gateImage` (DESIGN §2). It runs on the layer's target cluster: in
 * the Flux namespace on the management cluster, in the workspace namespace on a workspace cluster.
 */
function jobGateFor(layer: Layer, plan: Plan, profile: FluxProfile): JobGateSpec | undefined {
  const image = plan.fleet.flux.gateImage;
  const needs = layer.checks.filter((c) => !kstatusProves(c) && !chartVersionUnknown(c));
  if (profile.healthCheckExprs || image === undefined || needs.length === 0) return undefined;
  const scope = layer.scope;
  const namespace = layer.target.management ? plan.fleet.flux.namespace
    : plan.fleet.workspaces.find((w) => scope.type === 'cluster' && w.name === scope.workspace)!.namespace;
  return jobGateSpec({ namespace, name: `dkp-fleet-gate-${layer.name}`, image, checks: needs, timeoutSeconds: Math.round(durationMillis(plan.fleet.flux.timeout) / 1000) });
}

/** File name of an object in a layer folder: `<kind>.<namespace>.<name>.yaml` (`.` never occurs in a kind or namespace). */
export function objectFileName(o: Record<string, any>): string {
  const kind = String(o.kind).toLowerCase();
  const ns = o.metadata?.namespace;
  return ns ? `${kind}.${ns}.${o.metadata.name}.yaml` : `${kind}.${o.metadata.name}.yaml`;
}

/**
 * Decides the Flux profile and every layer's gate.
 *
 * @throws FleetError when the reconciling Flux cannot run the plan
 */
export function renderContext(plan: Plan): RenderContext {
  const profile = fluxProfile(plan.fleet.flux, plan.currentRelease);
  const unsupported = checkFluxSupport(plan, profile);
  if (unsupported.length > 0) {
    throw new FleetError(unsupported);
  }
  const jobGates = new Map<string, JobGateSpec>();
  const gates = new Map(plan.layers.map((l) => {
    const job = jobGateFor(l, plan, profile);
    if (job === undefined) return [l.name, healthGate(l.checks, profile)];
    jobGates.set(l.name, job);
    const jobCheck: HealthCheck = { apiVersion: 'batch/v1', kind: 'Job', name: job.jobName, namespace: job.namespace, expect: { type: 'ready' }, applied: true };
    return [l.name, healthGate([...l.checks, jobCheck], profile, true)];
  }));
  return { profile, gates, jobGates };
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

/**
 * Renders a plan folder by folder (each layer, then `fleet`): a folder's constructs are built,
 * rendered and dropped before the next, so memory stays flat however large the fleet.
 */
export function* renderFolders(plan: Plan, context: RenderContext, progress: Progress = NO_PROGRESS): Generator<RenderedFolder> {
  const app = new App({ outdir: '.cdk8s.out' });
  const guard = new OutputGuard(plan);
  for (const [i, layer] of plan.layers.entries()) {
    progress('rendering layers', i + 1, plan.layers.length);
    const chart = new LayerChart(app, {
      layer,
      appDeploymentApiVersion: plan.release.kommander.appDeploymentApiVersion,
      capiContract: plan.release.capiContract,
      ssaMerge: context.profile.ssaMerge,
      jobGate: context.jobGates.get(layer.name),
    });
    const folder = { name: layer.name, objects: renderChart(app, chart).map((object) => ({ file: objectFileName(object), object })) };
    guard.check(folder);
    yield folder;
  }
  const fleetChart = new FleetChart(app, { plan, profile: context.profile, gates: context.gates });
  const folder = { name: FLEET_FOLDER, objects: renderChart(app, fleetChart).map((object) => ({ file: `${object.metadata.name}.yaml`, object })) };
  guard.check(folder);
  yield folder;
}
