import * as fs from 'fs';
import * as path from 'path';
import { run } from '@bufbuild/cel';
import * as YAML from 'yaml';
import { healthCheckExprs } from '../../src/gates/cel';
import { Expectation, HealthCheck } from '../../src/planner/layer';
import { describeWithShared, SHARED } from '../helpers';

function check(kind: string, apiVersion: string, expect: Expectation, name = 'x', namespace = 'ns'): HealthCheck {
  return { apiVersion, kind, name, namespace, expect, applied: true };
}

/** Evaluates a layer's expression for `kind` on an object, as Flux does: the object's fields are the variables. */
function evaluate(checks: HealthCheck[], object: Record<string, unknown>): { current: boolean; failed: boolean } {
  const kind = String(object.kind);
  const e = healthCheckExprs(checks).find((x) => x.kind === kind)!;
  const result = (expr: string | undefined) => {
    if (expr === undefined) return false;
    const r = run(expr, object as never);
    if (typeof r !== 'boolean') throw new Error(`${expr} did not evaluate to a boolean: ${String(r)}`);
    return r;
  };
  return { current: result(e.current), failed: result(e.failed) };
}

const ready = (status: string, reason = 'ReconciliationSucceeded') => ({ type: 'Ready', status, reason });

describe('CEL health expressions', () => {
  const kcp = [check('KubeadmControlPlane', 'controlplane.cluster.x-k8s.io/v1beta1', { type: 'control-plane', version: 'v1.22.8' })];
  const kcpObject = (status: Record<string, unknown>) => ({
    kind: 'KubeadmControlPlane', metadata: { name: 'x', namespace: 'ns', generation: 4 }, spec: { replicas: 3 }, status,
  });

  test('a control plane is done only at the version with every replica updated and ready', () => {
    expect(evaluate(kcp, kcpObject({}))).toEqual({ current: false, failed: false });
    expect(evaluate(kcp, kcpObject({ observedGeneration: 4, version: 'v1.21.6', updatedReplicas: 3, readyReplicas: 3 })))
      .toEqual({ current: false, failed: false });
    expect(evaluate(kcp, kcpObject({ observedGeneration: 4, version: 'v1.22.8', updatedReplicas: 2, readyReplicas: 3, unavailableReplicas: 1 })))
      .toEqual({ current: false, failed: false });
    expect(evaluate(kcp, kcpObject({ observedGeneration: 3, version: 'v1.22.8', updatedReplicas: 3, readyReplicas: 3 })))
      .toEqual({ current: false, failed: false });
    expect(evaluate(kcp, kcpObject({ observedGeneration: 4, version: 'v1.22.8', updatedReplicas: 3, readyReplicas: 3, unavailableReplicas: 0 })))
      .toEqual({ current: true, failed: false });
  });

  test('a node pool is done when every desired machine is updated and ready; a failed rollout fails at once', () => {
    const md = [check('MachineDeployment', 'cluster.x-k8s.io/v1beta1', { type: 'machine-deployment', version: 'v1.22.8' })];
    const obj = (status: Record<string, unknown>) => ({ kind: 'MachineDeployment', metadata: { generation: 2 }, spec: { replicas: 4 }, status });
    expect(evaluate(md, obj({ observedGeneration: 2, replicas: 5, updatedReplicas: 2, readyReplicas: 4, unavailableReplicas: 1, phase: 'ScalingUp' })))
      .toEqual({ current: false, failed: false });
    expect(evaluate(md, obj({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, phase: 'Failed' })))
      .toEqual({ current: false, failed: true });
    expect(evaluate(md, obj({ observedGeneration: 2, replicas: 4, updatedReplicas: 4, readyReplicas: 4, unavailableReplicas: 0, phase: 'Running' })))
      .toEqual({ current: true, failed: false });
  });

  test('a provider is done when installed at its version and Ready', () => {
    const p = [check('CoreProvider', 'operator.cluster.x-k8s.io/v1alpha2', { type: 'provider', version: 'v1.1.3-d2iq.3' })];
    const obj = (installedVersion: string, readyStatus: string) => ({
      kind: 'CoreProvider',
      metadata: { generation: 1 },
      spec: { version: 'v1.1.3-d2iq.3' },
      status: { observedGeneration: 1, installedVersion, conditions: [ready(readyStatus)] },
    });
    expect(evaluate(p, obj('v0.4.4', 'True'))).toEqual({ current: false, failed: false });
    expect(evaluate(p, obj('v1.1.3-d2iq.3', 'False'))).toEqual({ current: false, failed: false });
    expect(evaluate(p, obj('v1.1.3-d2iq.3', 'True'))).toEqual({ current: true, failed: false });
  });

  test('a HelmRelease is done when Ready at the new chart version, failed when the new version failed to install', () => {
    const hr = [
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release', chartVersion: 'v1.7.1' }, 'cert-manager', 'team-a'),
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release', chartVersion: '33.1.5' }, 'kube-prometheus-stack', 'team-a'),
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release' }, 'custom', 'team-a'),
    ];
    const obj = (name: string, status: Record<string, unknown>) => ({ kind: 'HelmRelease', metadata: { name, namespace: 'team-a' }, status });
    // the old release is still Ready: not done (what kstatus alone would wrongly accept)
    expect(evaluate(hr, obj('cert-manager', { conditions: [ready('True')], lastAppliedRevision: 'v0.2.7' }))).toEqual({ current: false, failed: false });
    expect(evaluate(hr, obj('cert-manager', { conditions: [ready('Unknown', 'Progressing')], lastAppliedRevision: 'v0.2.7', lastAttemptedRevision: 'v1.7.1' })))
      .toEqual({ current: false, failed: false });
    expect(evaluate(hr, obj('cert-manager', { conditions: [ready('False', 'UpgradeFailed')], lastAppliedRevision: 'v0.2.7', lastAttemptedRevision: 'v1.7.1' })))
      .toEqual({ current: false, failed: true });
    expect(evaluate(hr, obj('cert-manager', { conditions: [ready('True')], lastAppliedRevision: 'v1.7.1' }))).toEqual({ current: true, failed: false });
    // a chart version written without its "v" is accepted either way
    expect(evaluate(hr, obj('kube-prometheus-stack', { conditions: [ready('True')], lastAppliedRevision: '33.1.5' })))
      .toEqual({ current: true, failed: false });
    // unknown chart version: Ready is all that can be checked
    expect(evaluate(hr, obj('custom', { conditions: [ready('True')], lastAppliedRevision: '9.9.9' }))).toEqual({ current: true, failed: false });
  });

  test('a Velero Backup must have completed', () => {
    const b = [check('Backup', 'velero.io/v1', { type: 'backup-completed' })];
    const obj = (phase?: string) => ({ kind: 'Backup', metadata: {}, status: phase === undefined ? {} : { phase } });
    expect(evaluate(b, obj())).toEqual({ current: false, failed: false });
    expect(evaluate(b, obj('InProgress'))).toEqual({ current: false, failed: false });
    expect(evaluate(b, obj('PartiallyFailed'))).toEqual({ current: false, failed: true });
    expect(evaluate(b, obj('Completed'))).toEqual({ current: true, failed: false });
  });

  test('a HelmChartProxy must be Ready and select exactly one cluster', () => {
    const h = [check('HelmChartProxy', 'addons.cluster.x-k8s.io/v1alpha1', { type: 'helm-chart-proxy', version: 'v3.22.1' })];
    const obj = (matching: unknown[]) => ({
      kind: 'HelmChartProxy', metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [ready('True')], matchingClusters: matching },
    });
    expect(evaluate(h, obj([]))).toEqual({ current: false, failed: false });
    expect(evaluate(h, obj([{ name: 'prod-east' }]))).toEqual({ current: true, failed: false });
  });

  test('a ClusterResourceSet must have applied its resources', () => {
    const c = [check('ClusterResourceSet', 'addons.cluster.x-k8s.io/v1beta1', { type: 'resource-set' })];
    const obj = (s: string) => ({
      kind: 'ClusterResourceSet', metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'ResourcesApplied', status: s }] },
    });
    expect(evaluate(c, obj('False'))).toEqual({ current: false, failed: false });
    expect(evaluate(c, obj('True'))).toEqual({ current: true, failed: false });
  });

  test('a ClusterClass cluster is done when its topology is reconciled at the version', () => {
    const t = [check('Cluster', 'cluster.x-k8s.io/v1beta1', { type: 'topology', version: 'v1.22.8' })];
    const obj = (version: string, reconciled: string) => ({
      kind: 'Cluster', metadata: { generation: 2 }, spec: { topology: { version } },
      status: { observedGeneration: 2, conditions: [{ type: 'TopologyReconciled', status: reconciled }, ready('True')] },
    });
    expect(evaluate(t, obj('v1.22.8', 'False'))).toEqual({ current: false, failed: false });
    expect(evaluate(t, obj('v1.21.6', 'True'))).toEqual({ current: false, failed: false });
    expect(evaluate(t, obj('v1.22.8', 'True'))).toEqual({ current: true, failed: false });
  });

  test('fails if one kind is checked for two different things in one layer', () => {
    expect(() => healthCheckExprs([
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release' }),
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'ready' }),
    ])).toThrow('internal: checks of helm.toolkit.fluxcd.io/v2beta1|HelmRelease expect different things: helm-release, ready');
  });
});

describeWithShared('the fields CEL expressions read', () => {
  /** Every `status.x` / `spec.x.y` path an expression reads. */
  const paths = (expr: string) => [...expr.matchAll(/\b(status|spec)((?:\.[a-zA-Z]+)+)/g)].map((m) => {
    const p = `${m[1]}${m[2]}`;
    // `status.conditions.exists(...)` reads status.conditions: drop a method call
    return expr[m.index! + m[0].length] === '(' ? p.replace(/\.[a-zA-Z]+$/, '') : p;
  });
  const schemaHas = (schema: any, p: string) => p.split('.').every((k) => {
    schema = schema?.properties?.[k];
    return schema !== undefined;
  });
  const crd = (file: string, version: string) => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(SHARED, 'crds', file), 'utf8')).map((d) => d.toJS());
    return docs[0].spec.versions.find((v: any) => v.name === version).schema.openAPIV3Schema;
  };
  // HelmRelease (helm-controller v2beta1, what Kommander's Flux serves) and Velero Backup have no CRD in ../shared;
  // their fields are in docs/facts/flux-features.md and the Velero API.
  const cases: [string, string, string, Expectation][] = [
    ['KubeadmControlPlane', 'cluster-api/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml', 'v1beta1', { type: 'control-plane', version: 'v1' }],
    ['KubeadmControlPlane', 'cluster-api/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml', 'v1alpha4', { type: 'control-plane', version: 'v1' }],
    ['MachineDeployment', 'cluster-api/cluster.x-k8s.io_machinedeployments.yaml', 'v1beta1', { type: 'machine-deployment', version: 'v1' }],
    ['MachineDeployment', 'cluster-api/cluster.x-k8s.io_machinedeployments.yaml', 'v1alpha4', { type: 'machine-deployment', version: 'v1' }],
    ['Cluster', 'cluster-api/cluster.x-k8s.io_clusters.yaml', 'v1beta1', { type: 'topology', version: 'v1' }],
    ['CoreProvider', 'cluster-api-operator/operator.cluster.x-k8s.io_coreproviders.yaml', 'v1alpha2', { type: 'provider', version: 'v1' }],
    ['InfrastructureProvider', 'cluster-api-operator/operator.cluster.x-k8s.io_infrastructureproviders.yaml', 'v1alpha2', { type: 'provider', version: 'v1' }],
    ['HelmChartProxy', 'cluster-api-addon-provider-helm/addons.cluster.x-k8s.io_helmchartproxies.yaml', 'v1alpha1', { type: 'helm-chart-proxy', version: 'v3.22.1' }],
    ['ClusterResourceSet', 'cluster-api/addons.cluster.x-k8s.io_clusterresourcesets.yaml', 'v1beta1', { type: 'resource-set' }],
  ];
  test.each(cases)('%s (%s, %s) has every field its expressions read', (kind, file, version, expectation) => {
    const schema = crd(file, version);
    const [e] = healthCheckExprs([check(kind, `g/${version}`, expectation)]);
    const read = [...paths(e.current), ...paths(e.failed ?? '')];
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((p) => !schemaHas(schema, p))).toEqual([]);
  });
});
