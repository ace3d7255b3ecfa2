import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { JobGateSpec } from '../../gates/job-gate-spec';
import { Read } from '../../gates/kinds/kind';
import { byKey } from '../../input/compare';

/**
 * How many times a gate pod may fail before its Job fails for good. A gate on the management
 * cluster can run on a node its own layer drains: each eviction fails a pod, and the next pod
 * picks up the wait where it was (the script is a plain poll). Jobs of Kubernetes 1.21-1.25 have
 * no pod failure policy that would ignore evictions, so the limit is high.
 */
export const GATE_BACKOFF_LIMIT = 30;

/** Properties of a {@link JobGate}. */
export interface JobGateProps {
  readonly spec: JobGateSpec;
}

/**
 * A Job that proves a layer finished where Flux has no CEL health checks (DESIGN §2): it runs
 * the gate script with the fleet's `gateImage`, and the layer's Kustomization waits for it
 * to complete. RBAC is least privilege: `get` on exactly the objects it reads by name, `list`
 * where it reads by label (a topology's MachineDeployments, a HelmChartProxy's release proxies).
 */
export class JobGate extends Construct {
  public readonly job: ApiObject;

  public constructor(scope: Construct, id: string, props: JobGateProps) {
    super(scope, id);
    const s = props.spec;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: s.name, namespace: s.namespace } });
    // One Role per namespace of the objects it reads, bound to the gate's ServiceAccount.
    const byNamespace = new Map<string, Read[]>();
    for (const r of s.reads) {
      const ns = r.namespace ?? '';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
    }
    for (const [ns, reads] of [...byNamespace.entries()].sort(byKey(([k]) => k))) {
      const rules = rulesFor(reads);
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
        backoffLimit: s.backoffLimit ?? GATE_BACKOFF_LIMIT,
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

/** `get` on the named objects of each resource, `list` on the resources read by label. */
function rulesFor(reads: readonly Read[]): k8s.PolicyRule[] {
  const byResource = new Map<string, { group: string; resource: string; names: Set<string>; list: boolean }>();
  for (const r of reads) {
    const key = `${r.group}/${r.resource}`;
    const entry = byResource.get(key) ?? { group: r.group, resource: r.resource, names: new Set<string>(), list: false };
    if (r.names === undefined) entry.list = true;
    for (const n of r.names ?? []) entry.names.add(n);
    byResource.set(key, entry);
  }
  const sorted = [...byResource.values()].sort(byKey((r) => `${r.group}/${r.resource}`));
  return sorted.flatMap((r) => [
    ...(r.names.size > 0 ? [{ apiGroups: [r.group], resources: [r.resource], resourceNames: [...r.names].sort(), verbs: ['get'] }] : []),
    ...(r.list ? [{ apiGroups: [r.group], resources: [r.resource], verbs: ['list'] }] : []),
  ]);
}
