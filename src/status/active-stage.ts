import { DependencyStatus, LayerStatus, refKey } from './kustomization-status';
import { APP_KINDS, Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/**
 * The stages of the rollout (management, then each wave) and the active one: the first with a layer
 * not done, and what keeps it from finishing.
 */

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

/** The wave whose stage a layer belongs to; undefined: the management stage. */
export function stageWave(layer: Layer): number | undefined {
  const s = layer.scope;
  if (s.type === 'wave') return s.wave;
  if (s.type === 'cluster' && s.wave !== undefined && !APP_KINDS.includes(layer.kind)) return s.wave;
  return undefined;
}

export function stageName(wave: number | undefined): string {
  return wave === undefined ? 'management' : `wave ${wave}`;
}

/** The waves of the plan's stages, in the order they run (the management stage runs before them). */
export function stageWaves(plan: Plan): number[] {
  return [...new Set(plan.layers.map(stageWave).filter((w): w is number => w !== undefined))].sort((a, b) => a - b);
}

/**
 * The active stage: management first, then each wave; null when every layer is done.
 *
 * @param layers the status of each layer of the plan, in the plan's order
 * @param waves the plan's waves ({@link stageWaves})
 * @param notDone the dependencies of a layer not done at the source's current revision
 */
export function activeStage(
  plan: Plan, layers: readonly LayerStatus[], waves: readonly number[], notDone: (layer: Layer) => DependencyStatus[],
): ActiveStage | null {
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
        if (open.length === 0) next.set(refKey(m.l), ref(m));
        else if (open.every((d) => !planLayers.has(d.name))) for (const d of open) next.set(refKey(d), d);
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
  return active;
}
