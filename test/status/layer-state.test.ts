// The state of one Kustomization at the source's revision, against statuses as kustomize-controller
// writes them. The steps below are those of the research fixture of a layer while the fleet repository
// moves from R1 to R2 (/work/research/flux/timelines/kustomization-v1.yaml, kustomize-controller
// v1.5.1; NOTES.md §2 revision lock, §4 status fields and reasons), reduced to the fields the state reads.
import { FluxCondition, FluxKustomization } from '../../src/status/flux-objects';
import { kustomizationState, LayerState } from '../../src/status/layer-state';

const R1 = 'main@sha1:1111111111111111111111111111111111111111';
const R2 = 'main@sha1:2222222222222222222222222222222222222222';

const c = (type: string, status: string, reason: string, message: string, observedGeneration = 3): FluxCondition =>
  ({ type, status, reason, message, observedGeneration, lastTransitionTime: '2024-01-02T10:02:00Z' });

function ks(status: Partial<FluxKustomization>, generation = 3): FluxKustomization {
  return { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', name: 'mgmt-platform-apps', namespace: 'fleet-system', labels: {}, suspend: false, generation,
    conditions: [], ...status };
}

const readyAt = (rev: string) => c('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${rev}`);
const healthy = c('Healthy', 'True', 'Succeeded', 'Health check passed in 30.2s');

/** The fixture's steps: each with the state it must give for target R2. */
const STEPS: { name: string; k: FluxKustomization; state: LayerState; condition?: string }[] = [
  {
    name: 'before: the layer Ready at R1 (the target is R2)',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [readyAt(R1), healthy] }),
    state: 'done-at-older-revision',
  },
  {
    name: 'stale Ready=True at R1 after commit R2 arrived: not done for this commit',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [readyAt(R1), healthy] }),
    state: 'done-at-older-revision',
  },
  {
    name: 'waiting on a dependency (revision lock): no Reconciling condition, lastAttemptedRevision untouched',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [
      c('Ready', 'False', 'DependencyNotReady', "dependency 'fleet-system/mgmt-kommander' revision is not up to date"), healthy] }),
    state: 'waiting', condition: 'Ready=False DependencyNotReady',
  },
  {
    name: 'applying R2: Ready=Unknown, Reconciling=True; Healthy=True is stale from R1',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R2, conditions: [
      c('Reconciling', 'True', 'Progressing', `Detecting drift for revision ${R2} with a timeout of 5m0s`),
      c('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress'), healthy] }),
    state: 'running', condition: 'Reconciling=True Progressing',
  },
  {
    name: 'health checks running',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R2, conditions: [
      c('Reconciling', 'True', 'Progressing', `Running health checks for revision ${R2} with a timeout of 5m0s`),
      c('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress'),
      c('Healthy', 'Unknown', 'Progressing', `Running health checks for revision ${R2} with a timeout of 5m0s`)] }),
    state: 'running', condition: 'Reconciling=True Progressing',
  },
  {
    name: 'health check failed (timeout): Ready=False HealthCheckFailed with Reconciling=True ProgressingWithRetry',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R2, conditions: [
      c('Reconciling', 'True', 'ProgressingWithRetry', `Running health checks for revision ${R2} with a timeout of 5m0s`),
      c('Ready', 'False', 'HealthCheckFailed', "health check failed after 5m0.01s: timeout waiting for: [HelmRelease/kommander/traefik status: 'InProgress']"),
      c('Healthy', 'False', 'HealthCheckFailed', "timeout waiting for: [HelmRelease/kommander/traefik status: 'InProgress']")] }),
    state: 'failed', condition: 'Ready=False HealthCheckFailed',
  },
  {
    name: 'health check failed early (fail-fast)',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R2, conditions: [
      c('Reconciling', 'True', 'ProgressingWithRetry', `Running health checks for revision ${R2} with a timeout of 5m0s`),
      c('Ready', 'False', 'HealthCheckFailed',
        "health check failed after 35.2s: failed early due to stalled resources: [HelmRelease/kommander/traefik status: 'Failed']")] }),
    state: 'failed', condition: 'Ready=False HealthCheckFailed',
  },
  {
    name: 'retry after retryInterval: back to Progressing',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R2, conditions: [
      c('Reconciling', 'True', 'Progressing', `Fetching manifests for revision ${R2} with a timeout of 5m0s`),
      c('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress'),
      c('Healthy', 'False', 'HealthCheckFailed', "timeout waiting for: [HelmRelease/kommander/traefik status: 'InProgress']")] }),
    state: 'running',
  },
  {
    name: 'done at R2',
    k: ks({ observedGeneration: 3, lastAppliedRevision: R2, lastAttemptedRevision: R2, conditions: [readyAt(R2), healthy] }),
    state: 'done', condition: 'Ready=True ReconciliationSucceeded',
  },
  {
    name: 'suspended while at R1 (generation 4, observed 4 because Ready is True; status frozen at R1)',
    k: ks({ suspend: true, observedGeneration: 4, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [readyAt(R1), healthy] }, 4),
    state: 'held',
  },
  {
    name: 'invalid CEL: Stalled=True InvalidCELExpression, terminal',
    k: ks({ observedGeneration: 5, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [
      c('Stalled', 'True', 'InvalidCELExpression', 'Reconciliation failed terminally due to configuration error: ...', 5),
      c('Ready', 'False', 'InvalidCELExpression', 'Reconciliation failed terminally due to configuration error: ...', 5)] }, 5),
    state: 'failed', condition: 'Stalled=True InvalidCELExpression',
  },
];

describe('the state of a layer at the source\'s revision', () => {
  test.each(STEPS)('$name: $state', ({ k, state, condition }) => {
    const s = kustomizationState(k, R2);
    expect(s.state).toBe(state);
    if (condition !== undefined) expect(s.condition).toBe(condition);
  });

  test('a Ready=True layer is done only at the source\'s current revision, compared exactly as Flux compares it', () => {
    const k = ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [readyAt(R1)] });
    expect(kustomizationState(k, R1).state).toBe('done');
    expect(kustomizationState(k, R2)).toEqual({ state: 'done-at-older-revision', condition: 'Ready=True ReconciliationSucceeded',
      message: `Applied revision: ${R1}`, note: `last applied ${R1}` });
    // the revision format of source-controller before v0.35 is another string: not done until re-applied (NOTES.md §2)
    expect(kustomizationState(k, 'main/1111111111111111111111111111111111111111').state).toBe('done-at-older-revision');
  });

  test('a spec not observed yet is not done, even at the revision', () => {
    const k = ks({ observedGeneration: 3, lastAppliedRevision: R2, lastAttemptedRevision: R2, conditions: [readyAt(R2)] }, 4);
    expect(kustomizationState(k, R2)).toMatchObject({ state: 'waiting', note: expect.stringContaining('generation 4, observed 3') });
  });

  test('an old Reconciling=True ProgressingWithRetry does not make a layer waiting on a dependency running', () => {
    const k = ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R2, conditions: [
      c('Reconciling', 'True', 'ProgressingWithRetry', `Running health checks for revision ${R2} with a timeout of 5m0s`),
      c('Ready', 'False', 'DependencyNotReady', "dependency 'fleet-system/mgmt-kommander' is not ready")] });
    expect(kustomizationState(k, R2).state).toBe('waiting');
  });

  test('a failure at an older revision is not a failure of this commit: Flux has not tried it yet', () => {
    const k = ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [
      c('Ready', 'False', 'HealthCheckFailed', 'health check failed after 5m0.01s: timeout waiting for: [...]')] });
    expect(kustomizationState(k, R2)).toMatchObject({ state: 'waiting', condition: 'Ready=False HealthCheckFailed',
      note: `failed at ${R1}, an older revision; Flux has not tried this revision yet` });
    expect(kustomizationState(k, R1).state).toBe('failed');
  });

  test('a missing source artifact fails whatever revision was last attempted', () => {
    const k = ks({ observedGeneration: 3, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [
      c('Ready', 'False', 'ArtifactFailed', "Source 'GitRepository/fleet-system/fleet' not found")] });
    expect(kustomizationState(k, R2)).toMatchObject({ state: 'failed', condition: 'Ready=False ArtifactFailed' });
  });

  test('a suspended layer of an older controller (no status write: observedGeneration behind) is held', () => {
    const k = ks({ suspend: true, observedGeneration: 1, lastAppliedRevision: R1, lastAttemptedRevision: R1, conditions: [readyAt(R1)] }, 2);
    expect(kustomizationState(k, R2)).toMatchObject({
      state: 'held', note: `spec.suspend is true: Flux applies nothing of it until it is resumed (last applied ${R1})`,
    });
  });

  test('a suspended layer already done at this revision is done: its dependants proceed (NOTES.md §4)', () => {
    const k = ks({ suspend: true, observedGeneration: 4, lastAppliedRevision: R2, lastAttemptedRevision: R2, conditions: [readyAt(R2)] }, 4);
    expect(kustomizationState(k, R2).state).toBe('done');
  });

  test('a layer attempted at this revision but not Ready yet is running; one never reconciled is waiting; one absent is missing', () => {
    expect(kustomizationState(ks({ lastAttemptedRevision: R2, observedGeneration: -1 }), R2)).toMatchObject({ state: 'running' });
    expect(kustomizationState(ks({ observedGeneration: -1 }), R2)).toMatchObject({ state: 'waiting', note: expect.stringContaining('not reconciled') });
    expect(kustomizationState(undefined, R2)).toEqual({ state: 'missing' });
  });
});
