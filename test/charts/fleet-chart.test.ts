import { Testing } from 'cdk8s';
import { FleetChart, FLEET_FOLDER } from '../../src/charts/fleet-chart';
import { Fleet, FluxSettings } from '../../src/fleet/fleet';
import { HUB_PROFILE } from '../../src/gates/flux-profile';
import { HealthGate } from '../../src/gates/health-gate';
import { EMPTY_CONTENT, Layer } from '../../src/planner/layer';
import { Plan } from '../../src/planner/plan-fleet';
import { tempDir } from '../helpers';

const MGMT: Layer = {
  name: 'mgmt-kommander',
  kind: 'kommander',
  scope: { type: 'management' },
  target: { cluster: 'mgmt', management: true, kubeconfigSecret: 'mgmt-kubeconfig' },
  dependsOn: [],
  content: EMPTY_CONTENT,
  checks: [],
  changes: [],
  summary: 'Kommander',
};

const CLUSTER: Layer = {
  name: 'cluster-prod-east-platform-apps',
  kind: 'platform-apps',
  scope: { type: 'cluster', cluster: 'prod-east', workspace: 'team-a', clusterType: 'attached' },
  target: { cluster: 'prod-east', management: false, kubeconfigSecret: 'prod-east-kubeconfig', secretNamespace: 'team-a' },
  dependsOn: ['mgmt-kommander'],
  content: EMPTY_CONTENT,
  checks: [],
  changes: [],
  summary: 'prod-east platform apps',
};

/** Flux settings as normalizeFleet resolves them by default: the source and the bootstrap Kustomization in the Flux namespace. */
function flux(mode: FluxSettings['mode']): FluxSettings {
  const namespace = mode === 'hub' ? 'flux-system' : 'kommander-flux';
  return {
    mode, namespace, managementKubeConfigSecret: 'mgmt-kubeconfig', sourceRef: { kind: 'GitRepository', name: 'fleet', namespace },
    bootstrap: { name: 'dkp-fleet', namespace }, path: './dist', interval: '10m', retryInterval: '2m', timeout: '30m',
  };
}

/** A plan with only what FleetChart reads: the fleet's name and Flux settings, and the layers. */
function plan(mode: FluxSettings['mode']): Plan {
  return { fleet: { name: 'test', flux: flux(mode) } as Fleet, layers: [MGMT, CLUSTER], notes: [], manualSteps: [] } as unknown as Plan;
}

const WAIT: HealthGate = { wait: true, readyOnly: [] };
const GATES = new Map([[MGMT.name, WAIT], [CLUSTER.name, { healthChecks: [{ apiVersion: 'v1', kind: 'Namespace', name: 'x' }], readyOnly: [] }]]);

function render(mode: FluxSettings['mode']): { chart: FleetChart; byName: Record<string, any>; objects: any[] } {
  const chart = new FleetChart(Testing.app({ outdir: tempDir() }), { plan: plan(mode), profile: HUB_PROFILE, gates: GATES });
  const objects = Testing.synth(chart);
  return { chart, objects, byName: Object.fromEntries(objects.map((o) => [o.metadata.name, o])) };
}

const BASE_SPEC = { interval: '10m', retryInterval: '2m', timeout: '30m', prune: true, deletionPolicy: 'Orphan' };

describe('FleetChart', () => {
  test('the chart is the fleet folder and holds exactly one Kustomization per layer', () => {
    const { chart, objects } = render('hub');
    expect(chart.node.id).toBe(FLEET_FOLDER);
    expect(FLEET_FOLDER).toBe('fleet');
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/cluster-prod-east-platform-apps',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/mgmt-kommander',
    ]);
  });

  test('hub mode: every layer in the Flux namespace, every one remote, each with its own gate', () => {
    const { byName } = render('hub');
    expect(byName['mgmt-kommander']).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: 'mgmt-kommander', namespace: 'flux-system',
        labels: { 'app.kubernetes.io/part-of': 'dkp-fleet', 'app.kubernetes.io/instance': 'test', 'app.kubernetes.io/component': 'kommander' },
      },
      spec: {
        ...BASE_SPEC,
        sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
        path: './dist/mgmt-kommander',
        kubeConfig: { secretRef: { name: 'mgmt-kubeconfig' } },
        wait: true,
      },
    });
    expect(byName['cluster-prod-east-platform-apps']).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: 'cluster-prod-east-platform-apps', namespace: 'flux-system',
        labels: {
          'app.kubernetes.io/part-of': 'dkp-fleet', 'app.kubernetes.io/instance': 'test', 'app.kubernetes.io/component': 'platform-apps',
          'dkp-fleet/workspace': 'team-a', 'dkp-fleet/cluster': 'prod-east',
        },
      },
      spec: {
        ...BASE_SPEC,
        sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
        path: './dist/cluster-prod-east-platform-apps',
        dependsOn: [{ name: 'mgmt-kommander' }],
        kubeConfig: { secretRef: { name: 'prod-east-kubeconfig' } },
        healthChecks: [{ apiVersion: 'v1', kind: 'Namespace', name: 'x' }],
      },
    });
  });

  test('kommander mode: management layers local in the Flux namespace, workspace-cluster layers next to their kubeconfig', () => {
    const { byName } = render('kommander');
    const mgmt = byName['mgmt-kommander'];
    expect(mgmt.metadata.namespace).toBe('kommander-flux');
    expect(mgmt.spec).not.toHaveProperty('kubeConfig');
    expect(mgmt.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'kommander-flux' });

    const cluster = byName['cluster-prod-east-platform-apps'];
    expect(cluster.metadata.namespace).toBe('team-a');
    expect(cluster.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-east-kubeconfig' } });
    expect(cluster.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'kommander-flux' });
    expect(cluster.spec.dependsOn).toEqual([{ name: 'mgmt-kommander', namespace: 'kommander-flux' }]);
  });

  test('kommander mode: a workspace-cluster layer without a secret namespace stays in the Flux namespace, still remote', () => {
    const p = plan('kommander');
    const noSecretNs: Layer = { ...CLUSTER, target: { cluster: 'prod-east', management: false, kubeconfigSecret: 'prod-east-kubeconfig' } };
    const chart = new FleetChart(Testing.app({ outdir: tempDir() }), { plan: { ...p, layers: [MGMT, noSecretNs] }, profile: HUB_PROFILE, gates: GATES });
    const k = Testing.synth(chart).find((o) => o.metadata.name === CLUSTER.name);
    expect(k.metadata.namespace).toBe('kommander-flux');
    expect(k.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-east-kubeconfig' } });
    expect(k.spec.dependsOn).toEqual([{ name: 'mgmt-kommander' }]);
    expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'kommander-flux' });
  });
});
