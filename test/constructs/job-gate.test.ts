import { Testing } from 'cdk8s';
import { JobGate } from '../../src/constructs/gates/job-gate';
import { jobGateSpec, JobGateSpec } from '../../src/gates/job-gate-spec';
import { HealthCheck } from '../../src/planner/layer';

const CHECKS: HealthCheck[] = [
  {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'mgmt-control-plane', namespace: 'default',
    expect: { type: 'control-plane', version: 'v1.22.8' }, applied: true,
  },
  {
    apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeployment', name: 'mgmt-md-1', namespace: 'default',
    expect: { type: 'machine-deployment', version: 'v1.22.8' }, applied: true,
  },
  {
    apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeployment', name: 'mgmt-md-0', namespace: 'default',
    expect: { type: 'machine-deployment', version: 'v1.22.8' }, applied: true,
  },
  { apiVersion: 'velero.io/v1', kind: 'Backup', name: 'pre-upgrade', namespace: 'velero', expect: { type: 'backup-completed' }, applied: false },
  { apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'ClusterApp', name: 'traefik-10.9.1', expect: { type: 'exists' }, applied: false },
];

const SPEC: JobGateSpec = jobGateSpec({
  namespace: 'kommander-flux', name: 'dkp-fleet-gate-mgmt-control-plane', image: 'bitnami/kubectl:1.22', checks: CHECKS,
});

function render(spec: JobGateSpec): { all: any[]; get: (kind: string, namespace?: string) => any[] } {
  const chart = Testing.chart();
  new JobGate(chart, 'gate', { spec });
  const all = Testing.synth(chart);
  return { all, get: (kind, namespace) => all.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace)) };
}

const SUBJECTS = [{ kind: 'ServiceAccount', name: 'dkp-fleet-gate-mgmt-control-plane', namespace: 'kommander-flux' }];

describe('JobGate', () => {
  const { all, get } = render(SPEC);

  test('renders exactly a ServiceAccount, a Role and RoleBinding per namespace it reads, and the Job', () => {
    expect(all.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      `Job kommander-flux/${SPEC.jobName}`,
      'Role default/dkp-fleet-gate-mgmt-control-plane',
      'Role velero/dkp-fleet-gate-mgmt-control-plane',
      'RoleBinding default/dkp-fleet-gate-mgmt-control-plane',
      'RoleBinding velero/dkp-fleet-gate-mgmt-control-plane',
      'ServiceAccount kommander-flux/dkp-fleet-gate-mgmt-control-plane',
    ]);
  });

  test('the ServiceAccount lives next to the Job', () => {
    expect(get('ServiceAccount')).toEqual([{
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'dkp-fleet-gate-mgmt-control-plane', namespace: 'kommander-flux' },
    }]);
  });

  test('each Role grants only get on exactly the checked objects of its namespace', () => {
    expect(get('Role', 'default')[0]).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'dkp-fleet-gate-mgmt-control-plane', namespace: 'default' },
      rules: [
        { apiGroups: ['cluster.x-k8s.io'], resources: ['machinedeployments'], resourceNames: ['mgmt-md-0', 'mgmt-md-1'], verbs: ['get'] },
        { apiGroups: ['controlplane.cluster.x-k8s.io'], resources: ['kubeadmcontrolplanes'], resourceNames: ['mgmt-control-plane'], verbs: ['get'] },
      ],
    });
    expect(get('Role', 'velero')[0].rules).toEqual([
      { apiGroups: ['velero.io'], resources: ['backups'], resourceNames: ['pre-upgrade'], verbs: ['get'] },
    ]);
  });

  test('each RoleBinding binds its namespace\'s Role to the gate\'s ServiceAccount', () => {
    for (const ns of ['default', 'velero']) {
      expect(get('RoleBinding', ns)).toEqual([{
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'dkp-fleet-gate-mgmt-control-plane', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'dkp-fleet-gate-mgmt-control-plane' },
        subjects: SUBJECTS,
      }]);
    }
  });

  test('a check kstatus proves (a ClusterApp exists) is left to Flux: the Job neither reads it nor is granted it', () => {
    expect(SPEC.reads.filter((r) => r.resource === 'clusterapps')).toEqual([]);
    expect(SPEC.script).not.toContain('traefik-10.9.1');
    expect(get('ClusterRole')).toEqual([]);
    expect(get('ClusterRoleBinding')).toEqual([]);
  });

  test('cluster-scoped reads get a ClusterRole with only get on those names, bound to the ServiceAccount', () => {
    const r = render({ ...SPEC, reads: [...SPEC.reads, { group: 'apps.kommander.d2iq.io', resource: 'clusterapps', names: ['traefik-10.9.1'] }] });
    expect(r.get('ClusterRole')).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'dkp-fleet-gate-mgmt-control-plane-kommander-flux' },
      rules: [{ apiGroups: ['apps.kommander.d2iq.io'], resources: ['clusterapps'], resourceNames: ['traefik-10.9.1'], verbs: ['get'] }],
    }]);
    expect(r.get('ClusterRoleBinding')).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'dkp-fleet-gate-mgmt-control-plane-kommander-flux' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dkp-fleet-gate-mgmt-control-plane-kommander-flux' },
      subjects: SUBJECTS,
    }]);
  });

  test('no ClusterRole when every read is namespaced; a core-group read gets apiGroups [""]', () => {
    const spec: JobGateSpec = {
      ...jobGateSpec({ namespace: 'team-a', name: 'g', image: 'kubectl:1', checks: [] }),
      reads: [{ group: '', resource: 'secrets', namespace: 'team-a', names: ['s'] }],
    };
    const r = render(spec);
    expect(r.get('ClusterRole')).toEqual([]);
    expect(r.get('ClusterRoleBinding')).toEqual([]);
    expect(r.get('Role')).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'g', namespace: 'team-a' },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['s'], verbs: ['get'] }],
    }]);
  });

  test('objects read by label get list, in their namespace only (a HelmChartProxy\'s generated HelmReleaseProxies)', () => {
    const spec = jobGateSpec({
      namespace: 'flux-system', name: 'g', image: 'kubectl:1',
      checks: [{
        apiVersion: 'addons.cluster.x-k8s.io/v1alpha1', kind: 'HelmChartProxy', name: 'calico-prod-east', namespace: 'team-a',
        expect: { type: 'helm-chart-proxy', version: 'v3.22.1' }, applied: true,
      }],
    });
    const r = render(spec);
    expect(r.get('ClusterRole')).toEqual([]);
    expect(r.get('Role').map((x) => [x.metadata.namespace, x.rules])).toEqual([['team-a', [
      { apiGroups: ['addons.cluster.x-k8s.io'], resources: ['helmchartproxies'], verbs: ['list'] },
      { apiGroups: ['addons.cluster.x-k8s.io'], resources: ['helmreleaseproxies'], verbs: ['list'] },
    ]]]);
    expect(spec.script).toContain("run_1() { check_helm_chart_proxy 'team-a' 'calico-prod-east' 'v3.22.1'; }");
  });

  test('the Job runs the gate script with the gate image as the ServiceAccount, locked down', () => {
    expect(SPEC.jobName).toMatch(/^dkp-fleet-gate-[0-9a-f]{10}$/);
    expect(get('Job')).toEqual([{
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: SPEC.jobName, namespace: 'kommander-flux' },
      spec: {
        backoffLimit: 30,
        template: {
          spec: {
            serviceAccountName: 'dkp-fleet-gate-mgmt-control-plane',
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true },
            containers: [{
              name: 'gate',
              image: 'bitnami/kubectl:1.22',
              command: ['sh', '-c', SPEC.script],
              env: [{ name: 'HOME', value: '/tmp' }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    }]);
  });

  test('the script checks every object it is granted, with no deadline of its own (the layer\'s timeout retries while it waits)', () => {
    expect(SPEC.script).toContain("run_1() { check_control_plane 'default' 'mgmt-control-plane' 'v1.22.8'; }");
    expect(SPEC.script).toContain("run_2() { check_machine_deployment 'default' 'mgmt-md-1' 'v1.22.8'; }");
    expect(SPEC.script).toContain("run_3() { check_machine_deployment 'default' 'mgmt-md-0' 'v1.22.8'; }");
    expect(SPEC.script).toContain("run_4() { check_backup 'velero' 'pre-upgrade'; }");
    expect(SPEC.script).toContain("pending='1 2 3 4'");
    for (const r of SPEC.reads) for (const n of r.names ?? []) expect(SPEC.script).toContain(`'${r.namespace}' '${n}'`);
    expect(SPEC.script).not.toMatch(/deadline|date \+%s/);
  });
});
