import { FluxCondition, FluxKustomization } from './flux-objects';

/**
 * The state of one layer's Kustomization at the source's current revision, read as Flux's
 * kustomize-controller writes its status (research notes on Flux, §2 and §4):
 *
 * - `observedGeneration` moves only with a successful reconcile (v1), so Ready=True with an older
 *   generation is a spec Flux has not reconciled yet;
 * - Ready=True says nothing about the commit: after a new commit the old Ready=True stays until the
 *   layer is reconciled again, so a layer is done only when `lastAppliedRevision` is the source's
 *   current revision. This is what `dependsOn`'s revision lock compares, exactly as a string;
 * - a failure (Ready=False HealthCheckFailed, BuildFailed, ...) is not terminal: Flux retries it
 *   every `retryInterval`. Only Stalled=True is. A failure recorded at an older revision
 *   (`lastAttemptedRevision`) is not a failure of this commit: Flux has not tried this one yet;
 * - while Ready=False DependencyNotReady the controller adds no Reconciling condition, and an old
 *   Reconciling=True ProgressingWithRetry from an earlier failure stays: it does not mean running;
 * - a suspended Kustomization keeps its last status (Ready, lastAppliedRevision) unchanged.
 */
export type LayerState =
  /** Ready=True, applied at the current revision, its spec observed. */
  | 'done'
  /** Ready=True, but applied at another revision: not done for this commit. */
  | 'done-at-older-revision'
  /** Flux is applying it or running its health checks at the current revision. */
  | 'running'
  /** Ready=False at the current revision (not DependencyNotReady), or Stalled=True. */
  | 'failed'
  /** spec.suspend: Flux applies nothing of it until it is resumed. */
  | 'held'
  /** Ready=False DependencyNotReady, or not reconciled at this revision yet. */
  | 'waiting'
  /** Not in the snapshot: Flux has not created it (the bootstrap Kustomization creates the layers). */
  | 'missing';

/** Every state, in the order summaries list them. */
export const LAYER_STATES: readonly LayerState[] = ['done', 'done-at-older-revision', 'running', 'failed', 'held', 'waiting', 'missing'];

/** How the text report and the README name a state. */
export const STATE_WORDS: Readonly<Record<LayerState, string>> = {
  'done': 'done',
  'done-at-older-revision': 'done at an older revision',
  'running': 'running',
  'failed': 'failed',
  'held': 'held',
  'waiting': 'waiting',
  'missing': 'missing',
};

/** A Kustomization's state, with what Flux said about it. */
export interface KustomizationState {
  readonly state: LayerState;
  /** The condition that decided, as `Type=Status Reason` (`Ready=False HealthCheckFailed`). @default - none (missing, no conditions) */
  readonly condition?: string;
  /** Flux's message of that condition. @default - none */
  readonly message?: string;
  /** What dkp-fleet infers, when Flux's own words do not say it (a failure at an older revision, a spec not yet observed). */
  readonly note?: string;
}

/** Ready=False reasons that say the layer waits, not that it failed. */
const WAITING_REASONS = new Set(['DependencyNotReady']);

/** Reasons that concern the source, whatever revision the layer last attempted. */
const SOURCE_REASONS = new Set(['ArtifactFailed']);

function conditionOf(k: FluxKustomization, type: string): FluxCondition | undefined {
  return k.conditions.find((c) => c.type === type);
}

function said(c: FluxCondition): Pick<KustomizationState, 'condition' | 'message'> {
  return {
    condition: `${c.type}=${c.status}${c.reason === undefined ? '' : ` ${c.reason}`}`,
    ...(c.message === undefined || c.message === '' ? {} : { message: c.message }),
  };
}

/**
 * The state of a layer's Kustomization at `revision`, the source's `status.artifact.revision`.
 *
 * @param k the Kustomization, or undefined when the snapshot does not hold it
 */
export function kustomizationState(k: FluxKustomization | undefined, revision: string): KustomizationState {
  if (k === undefined) return { state: 'missing' };
  const ready = conditionOf(k, 'Ready');
  const stalled = conditionOf(k, 'Stalled');
  const reconciling = conditionOf(k, 'Reconciling');
  const observed = k.generation === undefined || k.observedGeneration === k.generation;
  if (ready?.status === 'True' && k.lastAppliedRevision === revision && observed) {
    return { state: 'done', ...said(ready) };
  }
  if (k.suspend) {
    return {
      state: 'held', ...(ready ? said(ready) : {}),
      note: `spec.suspend is true: Flux applies nothing of it until it is resumed${k.lastAppliedRevision === undefined ? ''
        : ` (last applied ${k.lastAppliedRevision === revision ? 'at this revision' : k.lastAppliedRevision})`}`,
    };
  }
  if (stalled?.status === 'True') {
    return { state: 'failed', ...said(stalled), note: 'Stalled: Flux does not retry it until its spec changes' };
  }
  if (ready?.status === 'False' && !WAITING_REASONS.has(ready.reason ?? '')) {
    const attempted = k.lastAttemptedRevision;
    if (attempted === undefined || attempted === revision || SOURCE_REASONS.has(ready.reason ?? '')) {
      return { state: 'failed', ...said(ready) };
    }
    return {
      state: 'waiting', ...said(ready),
      note: `failed at ${attempted}, an older revision; Flux has not tried this revision yet`,
    };
  }
  if (ready?.status === 'False') {
    return { state: 'waiting', ...said(ready) };
  }
  if (reconciling?.status === 'True') {
    return { state: 'running', ...said(reconciling) };
  }
  if (ready?.status === 'Unknown') {
    return { state: 'running', ...said(ready) };
  }
  if (k.lastAttemptedRevision === revision && k.lastAppliedRevision !== revision) {
    return {
      state: 'running', ...(ready ? said(ready) : {}),
      note: `attempted ${revision}, not applied yet`,
    };
  }
  if (ready?.status === 'True' && k.lastAppliedRevision !== revision) {
    return {
      state: 'done-at-older-revision', ...said(ready),
      note: k.lastAppliedRevision === undefined ? 'no applied revision recorded' : `last applied ${k.lastAppliedRevision}`,
    };
  }
  if (ready?.status === 'True') {
    return {
      state: 'waiting', ...said(ready),
      note: `its spec changed (generation ${k.generation}, observed ${k.observedGeneration ?? 'never'}): Flux has not reconciled it yet`,
    };
  }
  return { state: 'waiting', note: 'Flux has not reconciled it yet (no Ready condition)' };
}
