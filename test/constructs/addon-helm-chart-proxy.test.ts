import { Testing } from 'cdk8s';
import { CLUSTER_NAME_LABEL, HELM_CHART_PROXY_API_VERSION } from '../../src/catalog/api-versions';
import { AddonHelmChartProxy } from '../../src/constructs/addons/addon-helm-chart-proxy';
import { HelmChartProxySpec } from '../../src/planner/layer';

const CALICO: HelmChartProxySpec = {
  name: 'calico-prod-east', namespace: 'team-a', cluster: 'prod-east',
  repoURL: 'https://docs.tigera.io/calico/charts', chartName: 'tigera-operator', version: 'v3.22.1',
  releaseName: 'calico', releaseNamespace: 'tigera-operator',
};

function render(proxy: HelmChartProxySpec): any[] {
  const chart = Testing.chart();
  new AddonHelmChartProxy(chart, 'hcp', { proxy });
  return Testing.synth(chart);
}

describe('AddonHelmChartProxy', () => {
  test('a pinned, prune-protected HelmChartProxy selecting exactly its cluster by label', () => {
    expect(render(CALICO)).toEqual([{
      apiVersion: HELM_CHART_PROXY_API_VERSION,
      kind: 'HelmChartProxy',
      metadata: { name: 'calico-prod-east', namespace: 'team-a', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      spec: {
        clusterSelector: { matchLabels: { [CLUSTER_NAME_LABEL]: 'prod-east' } },
        repoURL: 'https://docs.tigera.io/calico/charts',
        chartName: 'tigera-operator',
        version: 'v3.22.1',
        releaseName: 'calico',
        namespace: 'tigera-operator',
        options: { wait: true, install: { createNamespace: true } },
      },
    }]);
  });

  test('the selector is the konvoy cluster-name label and nothing else', () => {
    expect(render(CALICO)[0].spec.clusterSelector).toEqual({ matchLabels: { 'konvoy.d2iq.io/cluster-name': 'prod-east' } });
  });

  test('valuesTemplate is written only when set', () => {
    expect(render(CALICO)[0].spec).not.toHaveProperty('valuesTemplate');
    const template = 'installation:\n  cni:\n    type: Calico\nclusterName: {{ .Cluster.metadata.name }}\n';
    expect(render({ ...CALICO, valuesTemplate: template })[0].spec.valuesTemplate).toBe(template);
  });
});
