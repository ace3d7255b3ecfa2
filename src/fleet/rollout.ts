/**
 * The fleet's rollout controls (`spec.rollout` of `fleet.yaml`, with every default resolved): the
 * Fleet's `rollout` field (./fleet.ts).
 */

/** Controls between waves, written as commits (README, "Rollout controls"). */
export interface Rollout {
  /**
   * Waves (`wave-<n>`) and managed clusters (`cluster-<name>`) that must not start: their first
   * Konvoy layers are written suspended until a later commit removes the entry. @default - none
   */
  readonly hold: readonly string[];
  /** Soak and failure budget of a wave, by wave number. @default - none: the next wave starts when every cluster finished */
  readonly waves: readonly WaveControls[];
}

export interface WaveControls {
  readonly wave: number;
  /** Time the wave must stay healthy after it finished before the next wave starts (a Go duration). @default - no soak */
  readonly soak?: string;
  /**
   * Clusters of the wave that may fail: the next wave starts once each finished or failed, when at
   * most this many failed. @default - none: any failure stops the fleet
   */
  readonly maxFailures?: number;
  readonly fieldPath: string;
}
