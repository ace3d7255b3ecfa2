import { Testing } from 'cdk8s';
import { LayerChart, LayerChartProps } from '../../src/charts/layer-chart';
import { jobGateSpec } from '../../src/gates/job-gate-spec';
import { EMPTY_CONTENT, Layer, LayerContent } from '../../src/planner/layer';
import { tempDir } from '../helpers';

const PRUNE = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

function layer(content: Partial<LayerContent>, name = 'cluster-prod-east-core-addons'): Layer {
  return {
    name,
    kind: 'core-addons',
    scope: { type: 'cluster', cluster: 'prod-east', workspace: 'team-a', clusterType: 'managed', wave: 1 },
    target: { cluster: 'mgmt', management: true, kubeconfigSecret: 'mgmt-kubeconfig' },
    dependsOn: [],
    content: { ...EMPTY_CONTENT, ...content },
    checks: [],
    changes: [],
    summary: 'test layer',
  };
}

function render(props: Partial<LayerChartProps> & { layer: Layer }): { chart: LayerChart; objects: any[] } {
  const chart = new LayerChart(Testing.app({ outdir: tempDir() }), {
    appDeploymentApiVersion: 'apps.kommander.d2iq.io/v1alpha2', capiContract: 'v1beta1', ...props,
  });
  return { chart, objects: Testing.synth(chart) };
}

const ids = (objects: any[]) => objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();

describe('LayerChart', () => {
  test('an empty layer renders nothing; the chart id is the layer name', () => {
    const { chart, objects } = render({ layer: layer({}, 'wave-1') });
    expect(chart.node.id).toBe('wave-1');
    expect(chart.layer.name).toBe('wave-1');
    expect(objects).toEqual([]);
  });

  test('a layer with one of each content renders exactly those objects', () => {
    const { objects } = render({
      layer: layer({
        appDeployments: [{ name: 'cert-manager', namespace: 'team-a', appRef: { kind: 'ClusterApp', name: 'cert-manager-1.7.1' } }],
        providers: [{ kind: 'CoreProvider', name: 'cluster-api', namespace: 'capi-system', version: 'v1.1.3', fetch: { url: 'https://example.com/core.yaml' } }],
        helmChartProxies: [{
          name: 'calico-prod-east', namespace: 'team-a', cluster: 'prod-east', repoURL: 'https://charts.example.com', chartName: 'tigera-operator',
          version: 'v3.22.1', releaseName: 'calico', releaseNamespace: 'tigera-operator',
        }],
        clusterResourceSets: [{ name: 'cni-prod-east', namespace: 'team-a', cluster: 'prod-east', strategy: 'ApplyAlways', data: { 'cni.yaml': '---\n' } }],
        versionPatches: [{ kind: 'MachineDeployment', name: 'prod-east-md-0', namespace: 'team-a', version: 'v1.22.8' }],
      }),
      appDeploymentApiVersion: 'apps.kommander.d2iq.io/v1alpha3',
      capiContract: 'v1alpha4',
      ssaMerge: 'merge',
    });
    expect(ids(objects)).toEqual([
      'addons.cluster.x-k8s.io/v1alpha1 HelmChartProxy team-a/calico-prod-east',
      'addons.cluster.x-k8s.io/v1beta1 ClusterResourceSet team-a/cni-prod-east',
      'apps.kommander.d2iq.io/v1alpha3 AppDeployment team-a/cert-manager',
      'cluster.x-k8s.io/v1alpha4 MachineDeployment team-a/prod-east-md-0',
      'operator.cluster.x-k8s.io/v1alpha2 CoreProvider capi-system/cluster-api',
      'v1 ConfigMap team-a/cni-prod-east',
    ]);
    const md = objects.find((o) => o.kind === 'MachineDeployment');
    expect(md).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1alpha4', kind: 'MachineDeployment',
      metadata: { name: 'prod-east-md-0', namespace: 'team-a', annotations: { ...PRUNE, 'kustomize.toolkit.fluxcd.io/ssa': 'merge' } },
      spec: { template: { spec: { version: 'v1.22.8' } } },
    });
    expect(objects.find((o) => o.kind === 'AppDeployment')).toEqual({
      apiVersion: 'apps.kommander.d2iq.io/v1alpha3', kind: 'AppDeployment',
      metadata: { name: 'cert-manager', namespace: 'team-a' }, spec: { appRef: { kind: 'ClusterApp', name: 'cert-manager-1.7.1' } },
    });
    // every Cluster API object and the ConfigMap a set applies are prune-protected; the AppDeployment is not
    for (const o of objects.filter((x) => x.kind !== 'AppDeployment')) {
      expect(o.metadata.annotations).toMatchObject(PRUNE);
    }
    expect(objects.find((o) => o.kind === 'AppDeployment').metadata).not.toHaveProperty('annotations');
  });

  test('a Job gate adds its ServiceAccount, RBAC and Job', () => {
    const jobGate = jobGateSpec({
      namespace: 'flux-system', name: 'dkp-fleet-gate-x', image: 'kubectl:1.22',
      checks: [{ apiVersion: 'velero.io/v1', kind: 'Backup', name: 'b', namespace: 'velero', expect: { type: 'backup-completed' }, applied: false }],
    });
    const { objects } = render({ layer: layer({}, 'mgmt-preflight'), jobGate });
    expect(ids(objects)).toEqual([
      `batch/v1 Job flux-system/${jobGate.jobName}`,
      'rbac.authorization.k8s.io/v1 Role velero/dkp-fleet-gate-x',
      'rbac.authorization.k8s.io/v1 RoleBinding velero/dkp-fleet-gate-x',
      'v1 ServiceAccount flux-system/dkp-fleet-gate-x',
    ]);
  });

  test('no ssa merge value is needed when the layer patches nothing', () => {
    expect(() => render({ layer: layer({ providers: [] }) })).not.toThrow();
  });

  test('fails if a version patch has no ssa merge value', () => {
    const l = layer({
      versionPatches: [{ kind: 'KubeadmControlPlane', name: 'mgmt-control-plane', namespace: 'default', version: 'v1.22.8' }],
    }, 'mgmt-control-plane');
    expect(() => render({ layer: l })).toThrow('internal: layer mgmt-control-plane patches KubeadmControlPlane without an ssa merge value');
  });
});
