import { ApiObject, App } from 'cdk8s';
import { Plan } from '../planner/plan-fleet';
import { FleetError, Problem } from '../spec/problems';
import { FleetChart, FLEET_FOLDER } from './fleet-chart';
import { fluxProfile, FluxProfile } from './flux/flux-profile';
import { healthGate, HealthGate } from './flux/health';
import { LayerChart } from './layer-chart';

/** The objects of one output folder. */
export interface RenderedFolder {
  /** Folder name under dist/: a layer name, or `fleet`. */
  readonly name: string;
  /** Objects, as JSON, with a file name each (unique in the folder). */
  readonly objects: readonly { readonly file: string; readonly object: Record<string, any> }[];
}

export interface Rendered {
  readonly folders: readonly RenderedFolder[];
  readonly profile: FluxProfile;
  /** Health gate of each layer, by layer name. */
  readonly gates: ReadonlyMap<string, HealthGate>;
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

/** File name of an object in a layer folder: `<kind>.<namespace>.<name>.yaml` (`.` never occurs in a kind or namespace). */
export function objectFileName(o: Record<string, any>): string {
  const kind = String(o.kind).toLowerCase();
  const ns = o.metadata?.namespace;
  return ns ? `${kind}.${ns}.${o.metadata.name}.yaml` : `${kind}.${o.metadata.name}.yaml`;
}

function objectsOf(chart: LayerChart | FleetChart): Record<string, any>[] {
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).map((o) => o.toJson());
}

/**
 * Renders a plan into folders of objects, in memory: nothing is written here.
 *
 * @throws FleetError when the reconciling Flux cannot run the plan
 */
export function renderPlan(plan: Plan): Rendered {
  const profile = fluxProfile(plan.fleet.flux, plan.currentRelease);
  const unsupported = checkFluxSupport(plan, profile);
  if (unsupported.length > 0) {
    throw new FleetError(unsupported);
  }
  const gates = new Map(plan.layers.map((l) => [l.name, healthGate(l.checks, profile)]));
  const app = new App({ outdir: '.cdk8s.out' });
  const layerCharts = plan.layers.map((layer) => new LayerChart(app, {
    layer,
    appDeploymentApiVersion: plan.release.kommander.appDeploymentApiVersion,
    capiContract: plan.release.capiContract,
    ssaMerge: profile.ssaMerge,
  }));
  const fleetChart = new FleetChart(app, { plan, profile, gates });
  // Validate once for the whole app (Chart.toJson would re-validate the app for every chart).
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) {
    throw new Error(`internal: construct validation failed:\n  ${errors.join('\n  ')}`);
  }
  const folders: RenderedFolder[] = layerCharts.map((chart) => ({
    name: chart.layer.name,
    objects: objectsOf(chart).map((object) => ({ file: objectFileName(object), object })),
  }));
  folders.push({ name: FLEET_FOLDER, objects: objectsOf(fleetChart).map((object) => ({ file: `${object.metadata.name}.yaml`, object })) });
  for (const f of folders) {
    const seen = new Set<string>();
    for (const o of f.objects) {
      if (seen.has(o.file)) throw new Error(`internal: two objects of folder ${f.name} map to file ${o.file}`);
      seen.add(o.file);
    }
  }
  return { folders, profile, gates };
}

