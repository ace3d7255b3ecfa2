import { statusCommand, whereFluxRuns } from './fleet-source';
import { FluxKustomization, FluxSnapshot } from './flux-objects';
import { KustomizationRef, refKey } from './kustomization-status';
import { FluxSettings } from '../fleet/fleet';
import { byKey } from '../input/compare';
import { Problems } from '../input/problems';
import { Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/**
 * Which Kustomizations of a status snapshot are the fleet's: where each layer's Kustomization lives,
 * the bootstrap Kustomization, the fleet's Kustomizations the plan no longer has, and another
 * fleet's layers (told by their labels), which are left out.
 */

/** Labels every layer Kustomization carries (src/charts/fleet-chart.ts). */
const PART_OF = 'app.kubernetes.io/part-of';
const INSTANCE = 'app.kubernetes.io/instance';

/**
 * The namespace of a layer's Kustomization, as src/charts/fleet-chart.ts places it: in kommander
 * mode a layer that reaches a workspace cluster lives next to its kubeconfig Secret (the managed
 * cluster's namespace, or the workspace namespace of an attached cluster), every other layer in
 * spec.flux.namespace.
 */
export function layerNamespace(flux: FluxSettings, layer: Layer): string {
  return flux.mode === 'kommander' && !layer.target.management ? layer.target.secretNamespace ?? flux.namespace : flux.namespace;
}

/** The fleet's Kustomizations in a snapshot. */
export interface FleetKustomizations {
  /** The snapshot's Kustomizations by `namespace/name`, without other fleets' layers. */
  readonly byRef: ReadonlyMap<string, FluxKustomization>;
  /** Where the Kustomization of each layer of the plan lives, in the plan's order. */
  readonly layerRefs: readonly KustomizationRef[];
  /** The bootstrap Kustomization (spec.flux.bootstrap). */
  readonly bootstrapRef: KustomizationRef;
  /** Kustomizations of this fleet (by their labels) that the plan no longer has, by namespace and name. */
  readonly staleKs: readonly FluxKustomization[];
}

/**
 * The fleet's Kustomizations in a snapshot; a problem when the snapshot shows no Kustomization of
 * the fleet (only the bootstrap Kustomization counts when no other fleet's layers are there).
 *
 * @param fleetFile the fleet file, as the user named it (for problems)
 */
export function fleetKustomizations(plan: Plan, snapshot: FluxSnapshot, fleetFile: string, problems: Problems): FleetKustomizations {
  const fleet = plan.fleet;
  const flux = fleet.flux;
  const byRef = new Map<string, FluxKustomization>();
  const otherFleets = new Set<string>();
  for (const k of snapshot.kustomizations) {
    const instance = k.labels[INSTANCE];
    if (k.labels[PART_OF] === 'dkp-fleet' && instance !== undefined && instance !== fleet.name) {
      otherFleets.add(instance); // another fleet's layer: ignored
      continue;
    }
    byRef.set(refKey(k), k);
  }
  const layerRefs = plan.layers.map((l) => ({ name: l.name, namespace: layerNamespace(flux, l) }));
  const planned = new Set(layerRefs.map(refKey));
  const bootstrapRef = { name: flux.bootstrap.name, namespace: flux.bootstrap.namespace };
  const staleKs = snapshot.kustomizations
    .filter((k) => k.labels[PART_OF] === 'dkp-fleet' && k.labels[INSTANCE] === fleet.name && !planned.has(refKey(k)))
    .sort(byKey(refKey));
  // the bootstrap Kustomization alone shows this fleet (nothing created yet), unless another fleet's layers stand where ours would
  const ours = layerRefs.filter((r) => byRef.has(refKey(r))).length + staleKs.length;
  if (ours === 0 && (!byRef.has(refKey(bootstrapRef)) || otherFleets.size > 0)) {
    const namespaces = [...new Set(layerRefs.map((r) => r.namespace))].sort();
    const others = [...otherFleets].sort();
    const what = byRef.has(refKey(bootstrapRef))
      ? `holds no layer of fleet ${fleet.name} (${fleetFile}), only a bootstrap Kustomization ${refKey(bootstrapRef)} and the layers of fleet `
        + `${others.join(', ')} (label ${INSTANCE}). Is this the right cluster, and the right fleet file?`
      : `holds no Kustomization of fleet ${fleet.name} (${fleetFile}): neither the bootstrap Kustomization ${refKey(bootstrapRef)} nor a layer `
        + `such as ${refKey(layerRefs[0])}${others.length > 0 ? `; it holds the layers of fleet ${others.join(', ')}` : ''}. `
        + 'Is this the right cluster and namespace?';
    problems.add('(document)', `${what} The layers live in namespace${namespaces.length === 1 ? '' : 's'} ${namespaces.join(', ')}; `
      + `take the snapshot with \`${statusCommand(flux)}\` ${whereFluxRuns(flux)}`);
  }
  return { byRef, layerRefs, bootstrapRef, staleKs };
}
