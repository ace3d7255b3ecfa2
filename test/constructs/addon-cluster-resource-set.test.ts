import { Testing } from 'cdk8s';
import { CLUSTER_NAME_LABEL, CLUSTER_RESOURCE_SET_API_VERSION } from '../../src/catalog/api-versions';
import { AddonClusterResourceSet } from '../../src/constructs/addons/addon-cluster-resource-set';
import { ClusterResourceSetSpec } from '../../src/planner/layer';

const SET: ClusterResourceSetSpec = {
  name: 'calico-cni-prod-east', namespace: 'team-a', cluster: 'prod-east', strategy: 'ApplyAlways',
  data: { 'calico.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: calico-system\n', 'crds.yaml': '---\n' },
};

function render(set: ClusterResourceSetSpec): { configMap: any; set: any; all: any[] } {
  const chart = Testing.chart();
  new AddonClusterResourceSet(chart, 'crs', { set });
  const all = Testing.synth(chart);
  return { configMap: all.find((o) => o.kind === 'ConfigMap'), set: all.find((o) => o.kind === 'ClusterResourceSet'), all };
}

describe('AddonClusterResourceSet', () => {
  test('renders exactly a ConfigMap and a ClusterResourceSet of the same name', () => {
    const { all } = render(SET);
    expect(all.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      `${CLUSTER_RESOURCE_SET_API_VERSION} ClusterResourceSet team-a/calico-cni-prod-east`,
      'v1 ConfigMap team-a/calico-cni-prod-east',
    ]);
  });

  test('the ConfigMap holds the manifests and carries prune: disabled', () => {
    const { configMap } = render(SET);
    expect(configMap).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'calico-cni-prod-east', namespace: 'team-a', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      data: SET.data,
      immutable: false,
    });
  });

  test('the ClusterResourceSet carries prune: disabled too, and applies the ConfigMap to exactly the cluster', () => {
    const { set } = render(SET);
    expect(set).toEqual({
      apiVersion: CLUSTER_RESOURCE_SET_API_VERSION,
      kind: 'ClusterResourceSet',
      metadata: { name: 'calico-cni-prod-east', namespace: 'team-a', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      spec: {
        clusterSelector: { matchLabels: { [CLUSTER_NAME_LABEL]: 'prod-east' } },
        resources: [{ kind: 'ConfigMap', name: 'calico-cni-prod-east' }],
        strategy: 'ApplyAlways',
      },
    });
  });

  test.each(['ApplyOnce', 'ApplyAlways', 'Reconcile'])('the strategy %s is written as given', (strategy) => {
    expect(render({ ...SET, strategy }).set.spec.strategy).toBe(strategy);
  });
});
