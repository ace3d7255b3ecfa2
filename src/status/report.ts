import { KustomizationState, kustomizationState, LAYER_STATES, LayerState } from './layer-state';
import { FluxKustomization, FluxSnapshot, FluxSource } from './snapshot';
import { FluxSettings, SourceKind } from '../fleet/fleet';
import { Problems } from '../input/problems';
import { APP_KINDS, Layer } from '../planner/layer';
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

/** A Kustomization by name and namespace. */
export interface KustomizationRef {
  readonly name: string;
  readonly namespace: string;
}

/** A Kustomization and its state. */
export interface KustomizationStatus extends KustomizationRef {
  readonly state: LayerState;
  /** The condition that decided the state: `Ready=False HealthCheckFailed`. @default - none */
  readonly condition?: string;
  /** Flux's message of that condition, as Flux wrote it. @default - none */
  readonly message?: string;
  /** What dkp-fleet adds: why this state (a failure at an older revision, the revision last applied). @default - none */
  readonly note?: string;
  /** What to do about it (resume a held layer, create the bootstrap Kustomization). @default - nothing to do but wait */
  readonly action?: string;
  /** status.lastAppliedRevision. @default - none recorded */
  readonly lastAppliedRevision?: string;
  /** status.lastAttemptedRevision. @default - none recorded */
  readonly lastAttemptedRevision?: string;
}

/** A dependency and its state. */
export interface DependencyStatus extends KustomizationRef {
  readonly state: LayerState;
}

/** A layer of the plan and its state. */
export interface LayerStatus extends KustomizationStatus {
  /** 1-based position in PLAN.md. */
  readonly index: number;
  /** The layer's kind (`core-addons`, `wave`, ...), as PLAN.md's JSON has it. */
  readonly kind: string;
  /** PLAN.md's wave: the wave of the layer's cluster, or of a wave barrier. @default - none */
  readonly wave?: number;
  /** The stage it belongs to: `management`, or `wave <n>` (a cluster's app layers belong to management: every app moves first). */
  readonly stage: string;
  /** For a waiting layer or one done at an older revision: its dependencies not done at this revision. */
  readonly waitingOn?: readonly DependencyStatus[];
}

/** The stage the rollout is in. */
export interface ActiveStage {
  /** `management` or `wave <n>`. */
  readonly stage: string;
  /** @default - none: the management stage */
  readonly wave?: number;
  /** Layers of the stage. */
  readonly layers: number;
  /** Of those, done at this revision. */
  readonly done: number;
  /**
   * What keeps it from finishing: its failed and held layers; without those, its running layers;
   * without those, what Flux is to run next (`next`: the layers whose dependencies are all done,
   * or the bootstrap Kustomization when the first layer waits for it).
   */
  readonly blockedBy: readonly DependencyStatus[];
  /** Which of those `blockedBy` lists (`bootstrap`: the bootstrap Kustomization, which the first layer waits for). */
  readonly blocker: 'failed-or-held' | 'running' | 'next' | 'bootstrap';
}

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

/** The wave whose stage a layer belongs to; undefined: the management stage. */
export function stageWave(layer: Layer): number | undefined {
  const s = layer.scope;
  if (s.type === 'wave') return s.wave;
  if (s.type === 'cluster' && s.wave !== undefined && !APP_KINDS.includes(layer.kind)) return s.wave;
  return undefined;
}

function stageName(wave: number | undefined): string {
  return wave === undefined ? 'management' : `wave ${wave}`;
}

const PLURALS: Readonly<Record<SourceKind, string>> = { GitRepository: 'gitrepositories', OCIRepository: 'ocirepositories', Bucket: 'buckets' };

/** The command that takes the snapshot of a fleet: its Kustomizations and its kind of source, in every namespace. */
export function statusCommand(flux: FluxSettings): string {
  const plural = PLURALS[flux.sourceRef.kind] ?? 'gitrepositories';
  return `kubectl get kustomizations.kustomize.toolkit.fluxcd.io,${plural}.source.toolkit.fluxcd.io -A -o yaml`;
}

/** Where the snapshot is taken. */
function whereFluxRuns(flux: FluxSettings): string {
  return flux.mode === 'hub' ? 'on the hub cluster, where Flux runs the layers' : 'on the management cluster, where Kommander\'s Flux runs the layers';
}

const key = (r: KustomizationRef) => `${r.namespace}/${r.name}`;

function statusOf(ref: KustomizationRef, k: FluxKustomization | undefined, s: KustomizationState, action?: string): KustomizationStatus {
  return {
    name: ref.name, namespace: ref.namespace, state: s.state,
    ...(s.condition === undefined ? {} : { condition: s.condition }),
    ...(s.message === undefined ? {} : { message: s.message }),
    ...(s.note === undefined ? {} : { note: s.note }),
    ...(action === undefined ? {} : { action }),
    ...(k?.lastAppliedRevision === undefined ? {} : { lastAppliedRevision: k.lastAppliedRevision }),
    ...(k?.lastAttemptedRevision === undefined ? {} : { lastAttemptedRevision: k.lastAttemptedRevision }),
  };
}

/** The fleet's source in the snapshot, its revision, or the problem. */
function findSource(flux: FluxSettings, snapshot: FluxSnapshot, fleetFile: string, problems: Problems): { source: FluxSource; revision: string } | undefined {
  const ref = flux.sourceRef;
  const source = snapshot.sources.find((s) => s.kind === ref.kind && s.name === ref.name && s.namespace === ref.namespace);
  const wanted = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (source === undefined) {
    const alike = snapshot.sources.filter((s) => s.name === ref.name).map((s) => `${s.kind} ${s.namespace}/${s.name}`);
    problems.add('(document)', `holds no ${wanted} (spec.flux.sourceRef of ${fleetFile}), whose status.artifact.revision is the commit `
      + `the layers must be done at${alike.length > 0 ? ` (it holds ${alike.join(', ')})` : ''}; `
      + `take the snapshot with \`${statusCommand(flux)}\` ${whereFluxRuns(flux)}`);
    return undefined;
  }
  if (source.revision === undefined) {
    const ready = source.conditions.find((c) => c.type === 'Ready');
    const why = ready === undefined ? '' : ` (Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${ready.message ? `: ${ready.message}` : ''})`;
    problems.add('(document)', `${wanted} has no status.artifact.revision: source-controller has not fetched it yet${why}, `
      + 'so no layer can be told done at a commit; take the snapshot again once it is Ready', source.line);
    return undefined;
  }
  return { source, revision: source.revision };
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

  const byRef = new Map<string, FluxKustomization>();
  const otherFleets = new Set<string>();
  for (const k of snapshot.kustomizations) {
    const instance = k.labels[INSTANCE];
    if (k.labels[PART_OF] === 'dkp-fleet' && instance !== undefined && instance !== fleet.name) {
      otherFleets.add(instance); // another fleet's layer: ignored
      continue;
    }
    byRef.set(key(k), k);
  }
  const layerRefs = plan.layers.map((l) => ({ name: l.name, namespace: layerNamespace(flux, l) }));
  const planned = new Set(layerRefs.map(key));
  const bootstrapRef = { name: flux.bootstrap.name, namespace: flux.bootstrap.namespace };
  const staleKs = snapshot.kustomizations
    .filter((k) => k.labels[PART_OF] === 'dkp-fleet' && k.labels[INSTANCE] === fleet.name && !planned.has(key(k)))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  // the bootstrap Kustomization alone shows this fleet (nothing created yet), unless another fleet's layers stand where ours would
  const ours = layerRefs.filter((r) => byRef.has(key(r))).length + staleKs.length;
  if (ours === 0 && (!byRef.has(key(bootstrapRef)) || otherFleets.size > 0)) {
    const namespaces = [...new Set(layerRefs.map((r) => r.namespace))].sort();
    const others = [...otherFleets].sort();
    const what = byRef.has(key(bootstrapRef))
      ? `holds no layer of fleet ${fleet.name} (${files.fleetFile}), only a bootstrap Kustomization ${key(bootstrapRef)} and the layers of fleet `
        + `${others.join(', ')} (label ${INSTANCE}). Is this the right cluster, and the right fleet file?`
      : `holds no Kustomization of fleet ${fleet.name} (${files.fleetFile}): neither the bootstrap Kustomization ${key(bootstrapRef)} nor a layer `
        + `such as ${key(layerRefs[0])}${others.length > 0 ? `; it holds the layers of fleet ${others.join(', ')}` : ''}. `
        + 'Is this the right cluster and namespace?';
    problems.add('(document)', `${what} The layers live in namespace${namespaces.length === 1 ? '' : 's'} ${namespaces.join(', ')}; `
      + `take the snapshot with \`${statusCommand(flux)}\` ${whereFluxRuns(flux)}`);
  }
  problems.throwIfAny();
  if (found === undefined) throw new Error('internal: no source without a problem');
  const { source, revision } = found;

  const seenNamespaces = new Set([...snapshot.kustomizations, ...snapshot.sources].map((o) => o.namespace));
  const bootstrapK = byRef.get(key(bootstrapRef));
  const bootstrapState = kustomizationState(bootstrapK, revision);
  const bootstrap = bootstrapState.state === 'missing'
    ? statusOf(bootstrapRef, bootstrapK, { state: 'missing', note: 'not in the snapshot' },
      `create it (spec.flux.bootstrap) with path ${flux.path}/fleet, the fleet's source and no wait or health checks (README, "Which Flux runs the layers")`)
    : statusOf(bootstrapRef, bootstrapK, bootstrapState);

  // every layer's own state first: a dependency's state is read by the layers after it
  const states = new Map<string, KustomizationStatus>();
  const layerStatuses: LayerStatus[] = plan.layers.map((layer, i) => {
    const ref = layerRefs[i];
    const k = byRef.get(key(ref));
    let s = kustomizationState(k, revision);
    let action: string | undefined;
    if (s.state === 'missing') {
      s = {
        state: 'missing',
        note: seenNamespaces.has(ref.namespace)
          ? `not created yet: the bootstrap Kustomization ${key(bootstrapRef)} creates it`
          : `the snapshot holds nothing in namespace ${ref.namespace}: take it with -A (\`${statusCommand(flux)}\`)`,
      };
    } else if (s.state === 'held') {
      action = layer.suspend
        ? `held by spec.rollout.hold of ${files.fleetFile}: a commit that removes the entry releases it`
        : `${files.fleetFile} does not hold it (spec.rollout.hold): \`flux resume kustomization -n ${ref.namespace} ${ref.name}\` resumes it`;
    }
    const status = statusOf(ref, k, s, action);
    states.set(key(ref), status);
    const pl = layer.scope;
    const wave = (pl.type === 'cluster' || pl.type === 'wave') && pl.wave !== undefined ? pl.wave : undefined;
    return { ...status, index: i + 1, kind: layer.kind, ...(wave === undefined ? {} : { wave }), stage: stageName(stageWave(layer)) };
  });
  states.set(key(bootstrapRef), bootstrap);

  const namespaceOf = new Map(layerRefs.map((r) => [r.name, r.namespace]));
  const depsOf = (layer: Layer): KustomizationRef[] => [
    ...layer.dependsOn.map((d) => ({ name: d, namespace: namespaceOf.get(d) ?? flux.namespace })),
    ...(layer.externalDependsOn ?? []).map((e) => ({ name: e.name, namespace: e.namespace })),
  ];
  const stateOfRef = (r: KustomizationRef): LayerState => states.get(key(r))?.state ?? kustomizationState(byRef.get(key(r)), revision).state;
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

  // the active stage: management first, then each wave
  const waves = [...new Set(plan.layers.map(stageWave).filter((w): w is number => w !== undefined))].sort((a, b) => a - b);
  const stages: (number | undefined)[] = [undefined, ...waves];
  const byStage = new Map<number | undefined, { l: LayerStatus; layer: Layer }[]>(stages.map((w) => [w, []]));
  layers.forEach((l, i) => byStage.get(stageWave(plan.layers[i]))!.push({ l, layer: plan.layers[i] }));
  const planLayers = new Set(plan.layers.map((l) => l.name));
  let active: ActiveStage | null = null;
  for (const wave of stages) {
    const members = byStage.get(wave)!;
    if (members.every((m) => m.l.state === 'done')) continue;
    const ref = (m: { l: LayerStatus }): DependencyStatus => ({ name: m.l.name, namespace: m.l.namespace, state: m.l.state });
    let blocker: ActiveStage['blocker'] = 'failed-or-held';
    let blockedBy = members.filter((m) => m.l.state === 'failed' || m.l.state === 'held').map(ref);
    if (blockedBy.length === 0) {
      blocker = 'running';
      blockedBy = members.filter((m) => m.l.state === 'running').map(ref);
    }
    if (blockedBy.length === 0) {
      blocker = 'next';
      const next = new Map<string, DependencyStatus>();
      for (const m of members.filter((x) => x.l.state !== 'done')) {
        const open = notDone(m.layer);
        if (open.length === 0) next.set(key(m.l), ref(m));
        else if (open.every((d) => !planLayers.has(d.name))) for (const d of open) next.set(key(d), d);
      }
      blockedBy = [...next.values()];
      if (blockedBy.length > 0 && blockedBy.every((d) => !planLayers.has(d.name))) blocker = 'bootstrap';
    }
    active = {
      stage: stageName(wave), ...(wave === undefined ? {} : { wave }),
      layers: members.length, done: members.filter((m) => m.l.state === 'done').length, blockedBy, blocker,
    };
    break;
  }

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
