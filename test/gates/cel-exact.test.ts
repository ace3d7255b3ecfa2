import { healthCheckExprs } from '../../src/gates/cel';
import { Expectation, HealthCheck } from '../../src/planner/layer';
import { celStatus, FluxStatus } from '../gates/harness/flux-eval';

/**
 * The CEL dkp-fleet writes, judged on single objects the way Flux judges them (test/gates/harness/
 * flux-eval.ts): each case is a status a controller really shows, and what a truthful gate says of
 * it. The timelines (test/gates/timelines.test.ts) walk whole sequences; these pin the corners a
 * small change to an expression would break.
 */

function statusOf(kind: string, apiVersion: string, expect: Expectation, object: Record<string, any>, name = 'x', namespace = 'ns'): FluxStatus {
  const checks: HealthCheck[] = [{ apiVersion, kind, name, namespace, expect, applied: false }];
  const [expr] = healthCheckExprs(checks);
  return celStatus(expr, { apiVersion, kind, ...object, metadata: { name, namespace, generation: 3, ...object.metadata } });
}

describe('HelmRelease (helm-controller v2beta1: lastAttemptedRevision, no lastAttemptedGeneration)', () => {
  const hr = (status: Record<string, any>, spec: Record<string, any> = {}) =>
    statusOf('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release', chartVersion: '1.1.0' },
      { spec, status: { observedGeneration: 3, ...status } });
  const notReady = (reason: string) => [{ type: 'Ready', status: 'False', reason }];

  test('fails if an upgrade to the new chart failed and its retries are spent', () => {
    expect(hr({ lastAttemptedRevision: '1.1.0', upgradeFailures: 1, conditions: notReady('UpgradeFailed') })).toBe('Failed');
    expect(hr({ lastAttemptedRevision: 'v1.1.0+abc', upgradeFailures: 1, conditions: notReady('UpgradeFailed') })).toBe('Failed');
    expect(hr({ lastAttemptedRevision: '1.1.0', installFailures: 1, conditions: notReady('InstallFailed') })).toBe('Failed');
    expect(hr({ lastAttemptedRevision: '1.1.0', conditions: notReady('RollbackFailed') })).toBe('Failed');
    expect(hr({ lastAttemptedRevision: '1.1.0', conditions: notReady('UninstallFailed') })).toBe('Failed');
  });

  test('waits while the failure is that of the previous chart: Kommander has not propagated the new version yet', () => {
    expect(hr({ lastAttemptedRevision: '1.0.0', upgradeFailures: 1, conditions: notReady('UpgradeFailed') })).toBe('InProgress');
    expect(hr({ lastAttemptedRevision: '1.0.0', conditions: notReady('RollbackFailed') })).toBe('InProgress');
    expect(hr({ lastAttemptedRevision: '1.1.1', conditions: notReady('RollbackFailed') })).toBe('InProgress');
    expect(hr({ upgradeFailures: 1, conditions: notReady('UpgradeFailed') })).toBe('InProgress');
  });

  test('waits while retries remain, and counts them as the spec says (negative: unlimited)', () => {
    const failed = { lastAttemptedRevision: '1.1.0', upgradeFailures: 2, conditions: notReady('UpgradeFailed') };
    expect(hr(failed, { upgrade: { remediation: { retries: 2 } } })).toBe('InProgress');
    expect(hr(failed, { upgrade: { remediation: { retries: 1 } } })).toBe('Failed');
    expect(hr(failed, { upgrade: { remediation: { retries: -1 } } })).toBe('InProgress');
    expect(hr(failed, { upgrade: { remediation: {} } })).toBe('Failed');
    expect(hr({ ...failed, upgradeFailures: 0 })).toBe('InProgress');
    const install = { lastAttemptedRevision: '1.1.0', installFailures: 1, conditions: notReady('InstallFailed') };
    expect(hr(install, { install: { remediation: { retries: 1 } } })).toBe('InProgress');
    expect(hr(install, { upgrade: { remediation: { retries: 5 } } })).toBe('Failed');
    expect(hr({ ...install, conditions: notReady('ArtifactFailed') })).toBe('InProgress');
  });

  test('a v2beta2 object (lastAttemptedGeneration) is judged by Stalled, not by v2beta1 fields', () => {
    expect(hr({ lastAttemptedGeneration: 3, lastAttemptedRevision: '1.1.0', upgradeFailures: 1, conditions: notReady('UpgradeFailed') })).toBe('InProgress');
    expect(hr({ conditions: [{ type: 'Stalled', status: 'True', reason: 'RetriesExceeded' }, ...notReady('UpgradeFailed')] })).toBe('Failed');
    expect(hr({ conditions: [{ type: 'Stalled', status: 'False' }, ...notReady('UpgradeFailed')] })).toBe('InProgress');
  });

  test('is current only when Ready at the new chart, and not reconciling', () => {
    const ready = [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }];
    expect(hr({ lastAppliedRevision: '1.1.0', conditions: ready })).toBe('Current');
    expect(hr({ lastAppliedRevision: 'v1.1.0', conditions: ready })).toBe('Current');
    expect(hr({ lastAppliedRevision: '1.1.0+build.1', conditions: ready })).toBe('Current');
    expect(hr({ lastAppliedRevision: '1.0.0', conditions: ready })).toBe('InProgress');
    expect(hr({ lastAppliedRevision: '1.1.01', conditions: ready })).toBe('InProgress');
    expect(hr({ conditions: ready })).toBe('InProgress');
    expect(hr({ lastAppliedRevision: '1.1.0', conditions: [...ready, { type: 'Reconciling', status: 'True' }] })).toBe('InProgress');
    expect(hr({ lastAppliedRevision: '1.1.0', conditions: [...ready, { type: 'Reconciling', status: 'False' }] })).toBe('Current');
    expect(hr({ lastAppliedRevision: '1.1.0', conditions: [{ type: 'Ready', status: 'False', reason: 'Progressing' }] })).toBe('InProgress');
  });

  test('v2 history: current when the newest release is deployed at the new chart', () => {
    const ready = [{ type: 'Ready', status: 'True' }];
    expect(hr({ history: [{ chartVersion: '1.1.0', status: 'deployed' }], conditions: ready })).toBe('Current');
    expect(hr({ history: [{ chartVersion: '1.1.0', status: 'failed' }], conditions: ready })).toBe('InProgress');
    expect(hr({ history: [{ chartVersion: '1.0.0', status: 'deployed' }, { chartVersion: '1.1.0', status: 'deployed' }], conditions: ready }))
      .toBe('InProgress');
    // an empty history falls back to lastAppliedRevision
    expect(hr({ history: [], lastAppliedRevision: '1.1.0', conditions: ready })).toBe('Current');
  });

  test('a chart version written with a leading v (cert-manager v1.7.1) matches either spelling, and no other version', () => {
    const ready = [{ type: 'Ready', status: 'True' }];
    const cm = (status: Record<string, any>) => statusOf('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1',
      { type: 'helm-release', chartVersion: 'v1.7.1' }, { status: { observedGeneration: 3, ...status } });
    expect(cm({ lastAppliedRevision: 'v1.7.1', conditions: ready })).toBe('Current');
    expect(cm({ lastAppliedRevision: '1.7.1', conditions: ready })).toBe('Current');
    expect(cm({ history: [{ chartVersion: '1.7.1', status: 'deployed' }], conditions: ready })).toBe('Current');
    expect(cm({ lastAppliedRevision: 'v1.7.0', conditions: ready })).toBe('InProgress');
  });

  test('a HelmRelease whose chart version is unknown is current when Ready', () => {
    const status = statusOf('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release' },
      { status: { observedGeneration: 3, lastAppliedRevision: '0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } });
    expect(status).toBe('Current');
  });
});

describe('KubeadmControlPlane', () => {
  const done = {
    spec: { version: 'v1.22.8', replicas: 3 },
    status: { observedGeneration: 3, version: 'v1.22.8', replicas: 3, updatedReplicas: 3, readyReplicas: 3, unavailableReplicas: 0,
      conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const kcp = (spec: Record<string, any>, status: Record<string, any>) => statusOf('KubeadmControlPlane', 'controlplane.cluster.x-k8s.io/v1beta1',
    { type: 'control-plane', version: 'v1.22.8' }, { spec: { ...done.spec, ...spec }, status: { ...done.status, ...status } });

  test('is current when every machine runs the version, updated and ready', () => {
    expect(kcp({}, {})).toBe('Current');
  });

  test('waits while a machine is not updated, though status.version already shows the new version', () => {
    expect(kcp({}, { updatedReplicas: 2 })).toBe('InProgress');
    expect(kcp({}, { updatedReplicas: 4 })).toBe('InProgress');
  });

  test('waits on every other field that is not there yet', () => {
    expect(kcp({ version: 'v1.21.6' }, {})).toBe('InProgress');
    expect(kcp({}, { version: 'v1.21.6' })).toBe('InProgress');
    expect(kcp({}, { replicas: 4 })).toBe('InProgress');
    expect(kcp({}, { readyReplicas: 2 })).toBe('InProgress');
    expect(kcp({}, { unavailableReplicas: 1 })).toBe('InProgress');
    expect(kcp({}, { conditions: [{ type: 'Ready', status: 'False' }] })).toBe('InProgress');
    expect(kcp({}, { observedGeneration: 2 })).toBe('InProgress');
    const { version: _v, ...noVersion } = done.status;
    expect(celStatus(healthCheckExprs([{
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'x', namespace: 'ns',
      expect: { type: 'control-plane', version: 'v1.22.8' }, applied: true,
    }])[0], { metadata: { name: 'x', namespace: 'ns', generation: 3 }, spec: done.spec, status: noVersion })).not.toBe('Current');
  });

  test('v1alpha4 omits zero counters: a single-machine control plane with nothing unavailable is current', () => {
    const { unavailableReplicas: _u, ...omitted } = done.status;
    expect(celStatus(healthCheckExprs([{
      apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha4', kind: 'KubeadmControlPlane', name: 'x', namespace: 'ns',
      expect: { type: 'control-plane', version: 'v1.22.8' }, applied: true,
    }])[0], { metadata: { name: 'x', namespace: 'ns', generation: 3 }, spec: done.spec, status: omitted })).toBe('Current');
  });
});

describe('HelmChartProxy', () => {
  const conditions = ['Ready', 'HelmReleaseProxySpecsUpToDate', 'HelmReleaseProxiesReady'].map((type) => ({ type, status: 'True' }));
  const hcp = (status: Record<string, any>, version = '1.2.3') => statusOf('HelmChartProxy', 'addons.cluster.x-k8s.io/v1alpha1',
    { type: 'helm-chart-proxy', version: '1.2.3' },
    { spec: { version }, status: { observedGeneration: 3, matchingClusters: [{ name: 'c1', namespace: 'ns' }], conditions, ...status } });

  test('is current when it matches exactly one cluster and its proxies are up to date and ready', () => {
    expect(hcp({})).toBe('Current');
  });

  test('waits when it matches no cluster, or more than the one it names', () => {
    expect(hcp({ matchingClusters: [{ name: 'c1', namespace: 'ns' }, { name: 'c2', namespace: 'ns' }] })).toBe('InProgress');
    expect(hcp({ matchingClusters: [] })).toBe('InProgress');
    const { matchingClusters: _m, ...none } = { matchingClusters: 1 };
    expect(hcp({ ...none, matchingClusters: undefined })).not.toBe('Current');
  });

  test('waits on another version or a condition not yet true, and fails on a spec error', () => {
    expect(hcp({}, '1.2.2')).toBe('InProgress');
    for (const type of ['Ready', 'HelmReleaseProxySpecsUpToDate', 'HelmReleaseProxiesReady']) {
      expect(hcp({ conditions: conditions.map((c) => (c.type === type ? { ...c, status: 'False' } : c)) })).toBe('InProgress');
    }
    const specError = conditions.map((c) => (c.type === 'HelmReleaseProxySpecsUpToDate' ? { ...c, status: 'False', severity: 'Error' } : c));
    expect(hcp({ conditions: specError })).toBe('Failed');
    const warning = conditions.map((c) => (c.type === 'HelmReleaseProxySpecsUpToDate' ? { ...c, status: 'False', severity: 'Warning' } : c));
    expect(hcp({ conditions: warning })).toBe('InProgress');
  });
});
