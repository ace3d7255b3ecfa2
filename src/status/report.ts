import { activeStage, ActiveStage, stageName, stageWave, stageWaves } from './active-stage';
import { fleetKustomizations } from './fleet-kustomizations';
import { findSource, statusCommand } from './fleet-source';
import { FluxSnapshot } from './flux-objects';
import { DependencyStatus, KustomizationRef, KustomizationStatus, LayerStatus, refKey, statusOf } from './kustomization-status';
import { kustomizationState, LAYER_STATES, LayerState } from './layer-state';
import { Problems } from '../input/problems';
import { Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/**
 * Where the upgrade stands: the plan's layers, in PLAN.md's order, each with the state of its
 * Kustomization at the source's current revision; the active stage and what blocks it. Plain data:
 * `dkp-fleet status --json` prints it (keys sorted), and the text report is rendered from it.
 *
 * The shape is stable: fields are only ever added. Optional fields are left out when they have no
 * value; `active` is null once every layer is done.
 */
export interface StatusReport {
  /** The version of this shape. */
  readonly version: 1;
  /** metadata.name of the fleet file. */
  readonly fleet: string;
  /** The DKP release the fleet runs now (spec.currentRelease). @default - unknown */
  readonly from?: string;
  /** The DKP release the plan upgrades to (spec.release). */
  readonly to: string;
  readonly flux: {
    /** `hub` or `kommander` (spec.flux.mode). */
    readonly mode: string;
    /** The namespaces the layer Kustomizations live in, sorted. */
    readonly namespaces: readonly string[];
  };
  /** The fleet's source (spec.flux.sourceRef) and the revision it serves now: what "done" compares with. */
  readonly source: { readonly kind: string; readonly name: string; readonly namespace: string; readonly revision: string };
  /** The bootstrap Kustomization (spec.flux.bootstrap), which creates the layers. */
  readonly bootstrap: KustomizationStatus;
  /** Every layer of the plan, in PLAN.md's order. */
  readonly layers: readonly LayerStatus[];
  /** The first stage (management, then each wave) with a layer not done; null when every layer is done. */
  readonly active: ActiveStage | null;
  /** Every failed layer, in PLAN.md's order (in any stage). */
  readonly failed: readonly KustomizationRef[];
  /** The waves of the plan's stages, in the order they run (the management stage runs before them). */
  readonly waves: readonly number[];
  /** Kustomizations of this fleet (by their labels) that the plan no longer has, by namespace and name. */
  readonly stale: readonly KustomizationStatus[];
  /** How many layers are in each state (every state listed, 0 included). */
  readonly counts: Readonly<Record<LayerState, number>>;
  /** `done`: every layer done at the revision; `failed`: a layer (or the bootstrap) failed; else `in-progress`. */
  readonly result: 'done' | 'in-progress' | 'failed';
  /** The exit code of `dkp-fleet status`: 0 done, 3 in progress, 1 failed. */
  readonly exitCode: 0 | 1 | 3;
}

/**
 * The status of a fleet's upgrade from a snapshot of its Flux objects.
 *
 * @param plan the fleet's plan (planSynthesis): its layers in PLAN.md's order
 * @param files the fleet file and the snapshot, as the user named them (for problems)
 * @throws FleetError when the snapshot does not show this fleet: no Kustomization of it at all, or
 *   not the source its layers read
 */
export function statusReport(plan: Plan, snapshot: FluxSnapshot, files: { readonly fleetFile: string; readonly snapshotFile: string }): StatusReport {
  const fleet = plan.fleet;
  const flux = fleet.flux;
  const problems = new Problems(files.snapshotFile);
  const found = findSource(flux, snapshot, files.fleetFile, problems);
  const { byRef, layerRefs, bootstrapRef, staleKs } = fleetKustomizations(plan, snapshot, files.fleetFile, problems);
  problems.throwIfAny();
  if (found === undefined) throw new Error('internal: no source without a problem');
  const { source, revision } = found;

  const seenNamespaces = new Set([...snapshot.kustomizations, ...snapshot.sources].map((o) => o.namespace));
  const bootstrapK = byRef.get(refKey(bootstrapRef));
  const bootstrapState = kustomizationState(bootstrapK, revision);
  const bootstrap = bootstrapState.state === 'missing'
    ? statusOf(bootstrapRef, bootstrapK, { state: 'missing', note: 'not in the snapshot' },
      `create it (spec.flux.bootstrap) with path ${flux.path}/fleet, the fleet's source and no wait or health checks (README, "Which Flux runs the layers")`)
    : statusOf(bootstrapRef, bootstrapK, bootstrapState);

  // every layer's own state first: a dependency's state is read by the layers after it
  const states = new Map<string, KustomizationStatus>();
  const layerStatuses: LayerStatus[] = plan.layers.map((layer, i) => {
    const ref = layerRefs[i];
    const k = byRef.get(refKey(ref));
    let s = kustomizationState(k, revision);
    let action: string | undefined;
    if (s.state === 'missing') {
      s = {
        state: 'missing',
        note: seenNamespaces.has(ref.namespace)
          ? `not created yet: the bootstrap Kustomization ${refKey(bootstrapRef)} creates it`
          : `the snapshot holds nothing in namespace ${ref.namespace}: take it with -A (\`${statusCommand(flux)}\`)`,
      };
    } else if (s.state === 'held') {
      action = layer.suspend
        ? `held by spec.rollout.hold of ${files.fleetFile}: a commit that removes the entry releases it`
        : `${files.fleetFile} does not hold it (spec.rollout.hold): \`flux resume kustomization -n ${ref.namespace} ${ref.name}\` resumes it`;
    }
    const status = statusOf(ref, k, s, action);
    states.set(refKey(ref), status);
    const pl = layer.scope;
    const wave = (pl.type === 'cluster' || pl.type === 'wave') && pl.wave !== undefined ? pl.wave : undefined;
    return { ...status, index: i + 1, kind: layer.kind, ...(wave === undefined ? {} : { wave }), stage: stageName(stageWave(layer)) };
  });
  states.set(refKey(bootstrapRef), bootstrap);

  const namespaceOf = new Map(layerRefs.map((r) => [r.name, r.namespace]));
  const depsOf = (layer: Layer): KustomizationRef[] => [
    ...layer.dependsOn.map((d) => ({ name: d, namespace: namespaceOf.get(d) ?? flux.namespace })),
    ...(layer.externalDependsOn ?? []).map((e) => ({ name: e.name, namespace: e.namespace })),
  ];
  const stateOfRef = (r: KustomizationRef): LayerState => states.get(refKey(r))?.state ?? kustomizationState(byRef.get(refKey(r)), revision).state;
  const notDone = (layer: Layer): DependencyStatus[] => depsOf(layer)
    .map((r) => ({ name: r.name, namespace: r.namespace, state: stateOfRef(r) }))
    .filter((d) => d.state !== 'done');
  const layers = layerStatuses.map((s, i): LayerStatus => {
    if (s.state !== 'waiting' && s.state !== 'done-at-older-revision') return s;
    const waitingOn = notDone(plan.layers[i]);
    if (waitingOn.length > 0) return { ...s, waitingOn };
    if (s.state === 'waiting' && s.condition === 'Ready=False DependencyNotReady') {
      return { ...s, note: 'its dependencies are done at this revision: Flux starts it at its next retry (--requeue-dependency)' };
    }
    return s;
  });

  const waves = stageWaves(plan);
  const active = activeStage(plan, layers, waves, notDone);

  const counts = Object.fromEntries(LAYER_STATES.map((s) => [s, layers.filter((l) => l.state === s).length])) as Record<LayerState, number>;
  const failed = layers.filter((l) => l.state === 'failed').map((l) => ({ name: l.name, namespace: l.namespace }));
  const result = failed.length > 0 || bootstrap.state === 'failed' ? 'failed' : counts.done === layers.length ? 'done' : 'in-progress';
  return {
    version: 1,
    fleet: fleet.name,
    ...(plan.currentRelease ? { from: plan.currentRelease.version } : {}),
    to: plan.release.version,
    flux: { mode: flux.mode, namespaces: [...new Set(layerRefs.map((r) => r.namespace))].sort() },
    source: { kind: source.kind, name: source.name, namespace: source.namespace, revision },
    bootstrap,
    layers,
    active,
    failed,
    stale: staleKs.map((k) => statusOf(k, k, kustomizationState(k, revision))),
    waves,
    counts,
    result,
    exitCode: result === 'done' ? 0 : result === 'failed' ? 1 : 3,
  };
}
