import { ApiObject, Testing } from 'cdk8s';
import { Kustomization as RawKustomization } from '../../imports/flux-kustomize.toolkit.fluxcd.io';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { Release } from '../../src/catalog/release';
import { LayerKustomization, LayerKustomizationProps, layerLabels } from '../../src/constructs/flux/layer-kustomization';
import { FluxSettings } from '../../src/fleet/fleet';
import { FluxProfile, HUB_PROFILE, kommanderProfile } from '../../src/gates/flux-profile';
import { HealthGate, healthGate } from '../../src/gates/health-gate';
import { EMPTY_CONTENT, Layer, LayerScope } from '../../src/planner/layer';

const FLUX: FluxSettings = {
  mode: 'hub', namespace: 'flux-system', managementKubeConfigSecret: 'mgmt-kubeconfig',
  sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' }, bootstrap: { name: 'dkp-fleet', namespace: 'flux-system' },
  path: './dist', interval: '10m', retryInterval: '2m', timeout: '30m',
};

const LAYER: Layer = {
  name: 'cluster-prod-east-control-plane',
  kind: 'control-plane',
  scope: { type: 'cluster', cluster: 'prod-east', workspace: 'team-a', clusterType: 'managed', wave: 2 },
  target: { cluster: 'prod-east', management: false, kubeconfigSecret: 'prod-east-kubeconfig', secretNamespace: 'team-a' },
  dependsOn: ['cluster-prod-east-core-addons', 'mgmt-node-pools'],
  content: EMPTY_CONTENT,
  checks: [],
  changes: [],
  summary: 'prod-east control plane to v1.22.8',
};

const WAIT: HealthGate = { wait: true, readyOnly: [] };
const FLEET_LABELS = { 'app.kubernetes.io/part-of': 'dkp-fleet', 'app.kubernetes.io/instance': 'test' };

function build(overrides: Partial<LayerKustomizationProps> = {}): { construct: LayerKustomization; object: any } {
  const chart = Testing.chart();
  const construct = new LayerKustomization(chart, 'k', {
    layer: LAYER, namespace: 'flux-system', namespaceOf: () => 'flux-system', flux: FLUX, profile: HUB_PROFILE, gate: WAIT, labels: FLEET_LABELS, remote: true,
    ...overrides,
  });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return { construct, object: objects[0] };
}

const release = (version: string): Release => loadCatalog().get(version)!;
const withKustomizeController = (r: Release, v: string): Release => ({ ...r, flux: { ...r.flux, kustomizeController: v } });

describe('LayerKustomization', () => {
  test('hub profile: a kustomize.toolkit.fluxcd.io/v1 Kustomization that orphans on deletion', () => {
    const { construct, object } = build();
    expect(construct.apiObject.constructor).toBe(RawKustomization);
    expect(object).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: 'cluster-prod-east-control-plane',
        namespace: 'flux-system',
        labels: {
          'app.kubernetes.io/part-of': 'dkp-fleet', 'app.kubernetes.io/instance': 'test', 'app.kubernetes.io/component': 'control-plane',
          'dkp-fleet/workspace': 'team-a', 'dkp-fleet/cluster': 'prod-east', 'dkp-fleet/wave': '2',
        },
      },
      spec: {
        interval: '10m',
        retryInterval: '2m',
        timeout: '30m',
        prune: true,
        deletionPolicy: 'Orphan',
        sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
        path: './dist/cluster-prod-east-control-plane',
        dependsOn: [{ name: 'cluster-prod-east-core-addons' }, { name: 'mgmt-node-pools' }],
        kubeConfig: { secretRef: { name: 'prod-east-kubeconfig' } },
        wait: true,
      },
    });
  });

  test('Kommander\'s old Flux (2.4.2, kustomize-controller v0.31.0): v1beta2 as a plain ApiObject, never pruning', () => {
    const profile = kommanderProfile(release('2.4.2'));
    expect(profile.kustomizationApiVersion).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
    const { construct, object } = build({ profile });
    expect(construct.apiObject.constructor).toBe(ApiObject);
    expect(object.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
    expect(object.kind).toBe('Kustomization');
    expect(object.spec.prune).toBe(false);
    expect(object.spec).not.toHaveProperty('deletionPolicy');
    // the same fields as under v1, apart from the pruning ones
    const { deletionPolicy, prune, ...rest } = build().object.spec;
    expect({ ...object.spec, prune }).toEqual({ ...rest, prune });
    expect(deletionPolicy).toBe('Orphan');
  });

  test('a Flux at kustomize-controller v1.2.0: v1, but no deletionPolicy and so no pruning', () => {
    const profile = kommanderProfile(withKustomizeController(release('2.4.2'), 'v1.2.0'));
    const { construct, object } = build({ profile });
    expect(construct.apiObject.constructor).toBe(RawKustomization);
    expect(object.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
    expect(object.spec.prune).toBe(false);
    expect(object.spec).not.toHaveProperty('deletionPolicy');
  });

  test('a profile with deletionPolicy prunes and orphans whatever its API version', () => {
    const profile: FluxProfile = { ...HUB_PROFILE, kustomizationApiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2' };
    const { object } = build({ profile });
    expect(object.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
    expect(object.spec.prune).toBe(true);
    expect(object.spec.deletionPolicy).toBe('Orphan');
  });

  test('dependsOn names a dependency in another namespace with its namespace, and one in the same without', () => {
    const namespaceOf = (l: string) => (l === 'mgmt-node-pools' ? 'kommander-flux' : 'team-a');
    const { object } = build({ namespace: 'team-a', namespaceOf });
    expect(object.metadata.namespace).toBe('team-a');
    expect(object.spec.dependsOn).toEqual([{ name: 'cluster-prod-east-core-addons' }, { name: 'mgmt-node-pools', namespace: 'kommander-flux' }]);
  });

  test('no dependsOn at all for a layer without dependencies', () => {
    expect(build({ layer: { ...LAYER, dependsOn: [] } }).object.spec).not.toHaveProperty('dependsOn');
  });

  test('kubeConfig only when remote', () => {
    expect(build({ remote: false }).object.spec).not.toHaveProperty('kubeConfig');
    expect(build({ remote: undefined }).object.spec).not.toHaveProperty('kubeConfig');
    expect(build({ remote: true }).object.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-east-kubeconfig' } });
  });

  test('a gate with healthChecks lists them and does not wait', () => {
    const gate: HealthGate = {
      healthChecks: [
        { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'prod-east-control-plane', namespace: 'team-a' },
        { apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'ClusterApp', name: 'traefik-10.9.1' },
      ],
      readyOnly: [],
    };
    const { spec } = build({ gate }).object;
    expect(spec).not.toHaveProperty('wait');
    expect(spec).not.toHaveProperty('healthCheckExprs');
    expect(spec.healthChecks).toEqual(gate.healthChecks);
  });

  test('a gate with CEL expressions writes them with wait', () => {
    const gate: HealthGate = {
      wait: true,
      healthCheckExprs: [{
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', current: "status.version == 'v1.22.8'", failed: 'false',
      }],
      readyOnly: [],
    };
    const { spec } = build({ gate }).object;
    expect(spec.wait).toBe(true);
    expect(spec).not.toHaveProperty('healthChecks');
    expect(spec.healthCheckExprs).toEqual([{
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', current: "status.version == 'v1.22.8'", failed: 'false',
    }]);
  });

  test('a gate from healthGate() that watches objects: healthChecks and CEL, without wait', () => {
    const gate = healthGate([
      {
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'prod-east-control-plane', namespace: 'team-a',
        expect: { type: 'control-plane', version: 'v1.22.8' }, applied: true,
      },
      { apiVersion: 'velero.io/v1', kind: 'Backup', name: 'pre-upgrade', namespace: 'velero', expect: { type: 'backup-completed' }, applied: false },
    ], HUB_PROFILE);
    const { spec } = build({ gate }).object;
    expect(spec).not.toHaveProperty('wait');
    expect(spec.healthChecks).toEqual([
      { apiVersion: 'velero.io/v1', kind: 'Backup', name: 'pre-upgrade', namespace: 'velero' },
      { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'prod-east-control-plane', namespace: 'team-a' },
    ]);
    expect(spec.healthCheckExprs.map((e: any) => e.kind).sort()).toEqual(['Backup', 'KubeadmControlPlane']);
    expect(spec.healthCheckExprs).toEqual(gate.healthCheckExprs);
  });

  test('a gate with neither writes none of wait, healthChecks, healthCheckExprs', () => {
    const { spec } = build({ gate: { readyOnly: [] } }).object;
    expect(spec).not.toHaveProperty('wait');
    expect(spec).not.toHaveProperty('healthChecks');
    expect(spec).not.toHaveProperty('healthCheckExprs');
  });

  test('sourceRef: its namespace even when the Kustomization lives in the Flux namespace (every layer names the same source)', () => {
    expect(build().object.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' });
  });

  test('sourceRef: the Flux namespace when the Kustomization lives elsewhere', () => {
    expect(build({ namespace: 'team-a' }).object.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' });
  });

  test('sourceRef: an explicit namespace is always kept', () => {
    const flux: FluxSettings = { ...FLUX, sourceRef: { kind: 'OCIRepository', name: 'fleet-oci', namespace: 'sources' } };
    expect(build({ flux }).object.spec.sourceRef).toEqual({ kind: 'OCIRepository', name: 'fleet-oci', namespace: 'sources' });
    expect(build({ flux, namespace: 'team-a' }).object.spec.sourceRef).toEqual({ kind: 'OCIRepository', name: 'fleet-oci', namespace: 'sources' });
  });

  test('dependsOn: a Kustomization outside the layers (the bootstrap one) among the layers, sorted, qualified only across namespaces', () => {
    const layer: Layer = { ...LAYER, externalDependsOn: [{ name: 'dkp-fleet', namespace: 'flux-system' }] };
    expect(build({ layer }).object.spec.dependsOn).toEqual([
      { name: 'cluster-prod-east-core-addons' }, { name: 'dkp-fleet' }, { name: 'mgmt-node-pools' },
    ]);
    expect(build({ layer, namespace: 'team-a' }).object.spec.dependsOn).toEqual([
      { name: 'cluster-prod-east-core-addons', namespace: 'flux-system' }, { name: 'dkp-fleet', namespace: 'flux-system' },
      { name: 'mgmt-node-pools', namespace: 'flux-system' },
    ]);
  });

  test.each([
    ['.', './cluster-prod-east-control-plane'],
    ['./dist', './dist/cluster-prod-east-control-plane'],
    ['clusters/fleet', 'clusters/fleet/cluster-prod-east-control-plane'],
  ])('path: flux.path %s -> %s', (path, expected) => {
    expect(build({ flux: { ...FLUX, path } }).object.spec.path).toBe(expected);
  });

  test('layer labels win over fleet labels of the same key', () => {
    const { object } = build({ labels: { 'app.kubernetes.io/component': 'overridden', extra: 'x' } });
    expect(object.metadata.labels['app.kubernetes.io/component']).toBe('control-plane');
    expect(object.metadata.labels.extra).toBe('x');
  });
});

describe('layerLabels', () => {
  const of = (kind: Layer['kind'], scope: LayerScope) => layerLabels({ ...LAYER, kind, scope });

  test('management: the kind only', () => {
    expect(of('kommander', { type: 'management' })).toEqual({ 'app.kubernetes.io/component': 'kommander' });
  });

  test('workspace: the kind and workspace', () => {
    expect(of('platform-apps', { type: 'workspace', workspace: 'team-a' }))
      .toEqual({ 'app.kubernetes.io/component': 'platform-apps', 'dkp-fleet/workspace': 'team-a' });
  });

  test('cluster with a wave: kind, workspace, cluster and wave', () => {
    expect(of('node-pools', { type: 'cluster', cluster: 'prod-east', workspace: 'team-a', clusterType: 'managed', wave: 3 })).toEqual({
      'app.kubernetes.io/component': 'node-pools', 'dkp-fleet/workspace': 'team-a', 'dkp-fleet/cluster': 'prod-east', 'dkp-fleet/wave': '3',
    });
  });

  test('cluster without a wave (attached): no wave label', () => {
    expect(of('catalog-apps', { type: 'cluster', cluster: 'edge', workspace: 'team-b', clusterType: 'attached' })).toEqual({
      'app.kubernetes.io/component': 'catalog-apps', 'dkp-fleet/workspace': 'team-b', 'dkp-fleet/cluster': 'edge',
    });
  });

  test('wave barrier: the kind and wave', () => {
    expect(of('wave', { type: 'wave', wave: 1 })).toEqual({ 'app.kubernetes.io/component': 'wave', 'dkp-fleet/wave': '1' });
  });
});
