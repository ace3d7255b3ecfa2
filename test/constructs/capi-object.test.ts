import { Testing, ApiObject } from 'cdk8s';
import { assertPruneProtected, isClusterApiGroup, PRUNE_DISABLED, protectedMetadata } from '../../src/constructs/capi/capi-object';

describe('isClusterApiGroup', () => {
  test.each([
    'cluster.x-k8s.io/v1beta1',
    'controlplane.cluster.x-k8s.io/v1beta1',
    'addons.cluster.x-k8s.io/v1alpha1',
    'operator.cluster.x-k8s.io/v1alpha2',
    'infrastructure.cluster.x-k8s.io/v1alpha4',
    'preprovisioned.cluster.konvoy.d2iq.io/v1alpha1',
  ])('%s is in the Cluster API family', (apiVersion) => {
    expect(isClusterApiGroup(apiVersion)).toBe(true);
  });

  test.each([
    'v1',
    'batch/v1',
    'apps.kommander.d2iq.io/v1alpha2',
    'kustomize.toolkit.fluxcd.io/v1',
    'notcluster.x-k8s.io/v1',
    'cluster.x-k8s.io.example.com/v1',
    'cluster.konvoy.d2iq.io/v1',
  ])('%s is not', (apiVersion) => {
    expect(isClusterApiGroup(apiVersion)).toBe(false);
  });
});

describe('protectedMetadata', () => {
  test('adds the prune annotation to the given fields and keeps the other annotations', () => {
    expect(protectedMetadata({ name: 'a', namespace: 'ns', labels: { l: 'x' }, annotations: { other: 'y' } })).toEqual({
      name: 'a', namespace: 'ns', labels: { l: 'x' }, annotations: { other: 'y', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    });
  });

  test('overrides a conflicting prune annotation', () => {
    expect(protectedMetadata({ name: 'a', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'enabled' } }).annotations)
      .toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });

  test('renders on an ApiObject as exactly that annotation', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'o', { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: protectedMetadata({ name: 'c', namespace: 'ns' }) });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster',
      metadata: { name: 'c', namespace: 'ns', annotations: { ...PRUNE_DISABLED } },
    }]);
  });
});

describe('assertPruneProtected', () => {
  const protectedCluster = {
    apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'c', namespace: 'ns', annotations: { ...PRUNE_DISABLED } },
  };

  test('accepts protected Cluster API objects and anything outside the family', () => {
    expect(() => assertPruneProtected([
      protectedCluster,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' } },
      { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k' } },
    ])).not.toThrow();
  });

  test('fails if a Cluster API object has no annotations', () => {
    expect(() => assertPruneProtected([
      protectedCluster,
      { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', metadata: { name: 'cp', namespace: 'default' } },
    ]))
      .toThrow('internal: KubeadmControlPlane default/cp would be emitted without prune protection');
  });

  test('fails if the prune annotation has another value', () => {
    expect(() => assertPruneProtected([{
      apiVersion: 'addons.cluster.x-k8s.io/v1alpha1', kind: 'HelmChartProxy',
      metadata: { name: 'calico-a', namespace: 'team-a', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'Disabled' } },
    }])).toThrow('internal: HelmChartProxy team-a/calico-a would be emitted without prune protection');
  });

  test('fails if a cluster-scoped Cluster API object is unprotected, naming it with an empty namespace', () => {
    expect(() => assertPruneProtected([{ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'CoreProvider', metadata: { name: 'cluster-api' } }]))
      .toThrow('internal: CoreProvider /cluster-api would be emitted without prune protection');
  });
});
