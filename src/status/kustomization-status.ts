import { FluxKustomization } from './flux-objects';
import { KustomizationState, LayerState } from './layer-state';

/**
 * The parts of the status report (./report.ts) about one Kustomization: which it is, its state and
 * what dkp-fleet says of it.
 */

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

/** `namespace/name` of a Kustomization. */
export const refKey = (r: KustomizationRef): string => `${r.namespace}/${r.name}`;

/** A Kustomization's status, from its state in the snapshot. */
export function statusOf(ref: KustomizationRef, k: FluxKustomization | undefined, s: KustomizationState, action?: string): KustomizationStatus {
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
