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

  test('renders exactly a ServiceAccount, a Role and RoleBinding per namespace, a ClusterRole and binding, and the Job', () => {
    expect(all.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole /dkp-fleet-gate-mgmt-control-plane-kommander-flux',
      'ClusterRoleBinding /dkp-fleet-gate-mgmt-control-plane-kommander-flux',
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

  test('cluster-scoped checks get a ClusterRole with only get on those names, bound to the ServiceAccount', () => {
    expect(get('ClusterRole')).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'dkp-fleet-gate-mgmt-control-plane-kommander-flux' },
      rules: [{ apiGroups: ['apps.kommander.d2iq.io'], resources: ['clusterapps'], resourceNames: ['traefik-10.9.1'], verbs: ['get'] }],
    }]);
    expect(get('ClusterRoleBinding')).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'dkp-fleet-gate-mgmt-control-plane-kommander-flux' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dkp-fleet-gate-mgmt-control-plane-kommander-flux' },
      subjects: SUBJECTS,
    }]);
  });

  test('no ClusterRole when every check is namespaced; a core-group check gets apiGroups [""]', () => {
    const spec = jobGateSpec({
      namespace: 'team-a', name: 'g', image: 'kubectl:1',
      checks: [{ apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'team-a', expect: { type: 'exists' }, applied: false }],
    });
    const r = render(spec);
    expect(r.get('ClusterRole')).toEqual([]);
    expect(r.get('ClusterRoleBinding')).toEqual([]);
    expect(r.get('Role')).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'g', namespace: 'team-a' },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['s'], verbs: ['get'] }],
    }]);
  });

  test('the Job runs the gate script with the gate image as the ServiceAccount, locked down', () => {
    expect(SPEC.jobName).toMatch(/^dkp-fleet-gate-[0-9a-f]{10}$/);
    expect(get('Job')).toEqual([{
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: SPEC.jobName, namespace: 'kommander-flux' },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 2100,
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

  test('the script checks every object it is granted', () => {
    expect(SPEC.script).toContain("'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io/mgmt-control-plane'");
    expect(SPEC.script).toContain("'machinedeployments.cluster.x-k8s.io/mgmt-md-0'");
    expect(SPEC.script).toContain("'backups.velero.io/pre-upgrade'");
    expect(SPEC.script).toContain('deadline=$(( $(date +%s) + 1800 ))');
  });
});
