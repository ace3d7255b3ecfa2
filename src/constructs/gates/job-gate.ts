import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resourceOf } from '../../gates/gate-script';
import { JobGateSpec } from '../../gates/job-gate-spec';
import { HealthCheck } from '../../planner/layer';

/** Properties of a {@link JobGate}. */
export interface JobGateProps {
  readonly spec: JobGateSpec;
}

/**
 * A Job that proves a layer finished where Flux has no CEL health checks (DESIGN §2): it runs
 * the gate script with the fleet's `gateImage`, and the layer's Kustomization waits for it
 * to complete. RBAC is least privilege: `get` on exactly the objects it reads.
 */
export class JobGate extends Construct {
  public readonly job: ApiObject;

  public constructor(scope: Construct, id: string, props: JobGateProps) {
    super(scope, id);
    const s = props.spec;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: s.name, namespace: s.namespace } });
    // One Role per namespace of the checked objects, bound to the gate's ServiceAccount.
    const byNamespace = new Map<string, HealthCheck[]>();
    for (const c of s.checks) {
      const ns = c.namespace ?? '';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), c]);
    }
    for (const [ns, checks] of [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const rules = rulesFor(checks);
      const subject = [{ kind: 'ServiceAccount', name: s.name, namespace: s.namespace }];
      if (ns === '') {
        new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: `${s.name}-${s.namespace}` }, rules });
        new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
          metadata: { name: `${s.name}-${s.namespace}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${s.name}-${s.namespace}` },
          subjects: subject,
        });
      } else {
        new k8s.KubeRole(this, `Role-${ns}`, { metadata: { name: s.name, namespace: ns }, rules });
        new k8s.KubeRoleBinding(this, `RoleBinding-${ns}`, {
          metadata: { name: s.name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: s.name }, subjects: subject,
        });
      }
    }
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: s.jobName, namespace: s.namespace },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: s.timeoutSeconds + 300,
        template: {
          spec: {
            serviceAccountName: s.name,
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true },
            containers: [{
              name: 'gate',
              image: s.image,
              command: ['sh', '-c', s.script],
              env: [{ name: 'HOME', value: '/tmp' }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
  }
}

function rulesFor(checks: readonly HealthCheck[]): k8s.PolicyRule[] {
  const byResource = new Map<string, { group: string; resource: string; names: Set<string> }>();
  for (const c of checks) {
    const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
    const resource = resourceOf(c).split('.')[0];
    const key = `${group}/${resource}`;
    const r = byResource.get(key) ?? { group, resource, names: new Set<string>() };
    r.names.add(c.name);
    byResource.set(key, r);
  }
  return [...byResource.values()].sort((a, b) => `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`))
    .map((r) => ({ apiGroups: [r.group], resources: [r.resource], resourceNames: [...r.names].sort(), verbs: ['get'] }));
}
