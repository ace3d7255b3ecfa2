import { Testing } from 'cdk8s';
import { CapiProvider } from '../../src/constructs/capi/capi-provider';
import { ProviderSpec } from '../../src/planner/layer';

function render(provider: ProviderSpec): any[] {
  const chart = Testing.chart();
  new CapiProvider(chart, 'p', { provider });
  return Testing.synth(chart);
}

describe('CapiProvider', () => {
  test.each(['CoreProvider', 'BootstrapProvider', 'ControlPlaneProvider', 'InfrastructureProvider'] as const)(
    '%s: an operator provider at the version, fetched from a URL, prune-protected', (kind) => {
      expect(render({ kind, name: 'p1', namespace: 'p1-system', version: 'v1.1.3', fetch: { url: 'https://example.com/v1.1.3/components.yaml' } })).toEqual([{
        apiVersion: 'operator.cluster.x-k8s.io/v1alpha2',
        kind,
        metadata: { name: 'p1', namespace: 'p1-system', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
        spec: { version: 'v1.1.3', fetchConfig: { url: 'https://example.com/v1.1.3/components.yaml' } },
      }]);
    });

  test('components from ConfigMaps select them by the provider-components label', () => {
    const [o] = render({
      kind: 'ControlPlaneProvider', name: 'kubeadm', namespace: 'capi-kubeadm-control-plane-system', version: 'v1.1.3',
      fetch: { configMapLabel: 'control-plane-kubeadm' },
    });
    expect(o.spec.fetchConfig).toEqual({ selector: { matchLabels: { 'provider-components': 'control-plane-kubeadm' } } });
    expect(o.spec.fetchConfig.url).toBeUndefined();
  });

  test('an image override sets the manager container\'s imageUrl, and nothing else of the deployment', () => {
    const [o] = render({
      kind: 'CoreProvider', name: 'cluster-api', namespace: 'capi-system', version: 'v1.1.3-d2iq.3',
      fetch: { configMapLabel: 'core-cluster-api' }, image: 'docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3',
    });
    expect(o.spec).toEqual({
      version: 'v1.1.3-d2iq.3',
      fetchConfig: { selector: { matchLabels: { 'provider-components': 'core-cluster-api' } } },
      deployment: { containers: [{ name: 'manager', imageUrl: 'docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3' }] },
    });
  });

  test('without an image there is no deployment section', () => {
    const [o] = render({
      kind: 'InfrastructureProvider', name: 'aws', namespace: 'capa-system', version: 'v1.4.0', fetch: { configMapLabel: 'infrastructure-aws' },
    });
    expect(o.spec).not.toHaveProperty('deployment');
  });
});
