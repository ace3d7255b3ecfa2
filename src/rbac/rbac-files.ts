import { AccessPlan, AccessRule, accessFolder, Identity } from './access-plan';
import { planAccess } from './plan-access';
import { GatePlan } from '../gates/gate-plan';
import { byKey } from '../input/compare';
import { byPath, folderFiles, OutputFile } from '../output/dist-files';
import { FastYaml } from '../output/fast-yaml';
import { Plan } from '../planner/plan-fleet';

/**
 * dist/rbac/<cluster>/: the access of each identity as Kubernetes RBAC (plan-access.ts), one
 * folder per cluster that the cluster's admin applies once with `kubectl apply -k`, and again
 * whenever a pull request changes it. Flux never applies it: dist/fleet/ does not reference it,
 * and no layer path points into it.
 *
 * Per folder: the ServiceAccount `dkp-fleet-<fleet>` (and, in hub mode, its namespace on the clusters the hub reaches), a Role
 * `dkp-fleet-<fleet>-read` per namespace read (a ClusterRole for cluster-scoped kinds), a Role
 * `dkp-fleet-<fleet>-apply` per namespace written (writes are by name), each bound to the
 * ServiceAccount. A kubeconfig for that ServiceAccount, or Flux's impersonation of it, gives the
 * layers exactly this access (README, "Security").
 */

const RBAC_API = 'rbac.authorization.k8s.io/v1';

/** The suffixes of an identity's two roles: read-only, and the one that writes. */
export const READ_ROLE = 'read';
export const APPLY_ROLE = 'apply';

/** A Kubernetes PolicyRule: unnamed rules of one group and the same verbs share one entry. */
function policyRules(rules: readonly AccessRule[]): Record<string, unknown>[] {
  const out: { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }[] = [];
  const shared = new Map<string, { apiGroups: string[]; resources: string[]; verbs: string[] }>();
  for (const r of rules) {
    if (r.resourceNames !== undefined) {
      out.push({ apiGroups: [r.group], resources: [r.resource], resourceNames: [...r.resourceNames], verbs: [...r.verbs] });
      continue;
    }
    const key = `${r.group}\u0000${r.verbs.join(',')}`;
    const entry = shared.get(key);
    if (entry === undefined) {
      const rule = { apiGroups: [r.group], resources: [r.resource], verbs: [...r.verbs] };
      shared.set(key, rule);
      out.push(rule);
    } else if (!entry.resources.includes(r.resource)) {
      entry.resources.push(r.resource);
      entry.resources.sort();
    }
  }
  return out;
}

/** One object of an RBAC folder, with its file name (`<kind>.<namespace>.<name>.yaml`, as in the layer folders). */
interface FolderObject {
  readonly file: string;
  readonly object: Record<string, any>;
}

function objectOf(kind: string, apiVersion: string, metadata: { name: string; namespace?: string }, labels: Record<string, string> | undefined,
  body: Record<string, unknown>): FolderObject {
  const k = kind.toLowerCase();
  const file = metadata.namespace === undefined ? `${k}.${metadata.name}.yaml` : `${k}.${metadata.namespace}.${metadata.name}.yaml`;
  return { file, object: { apiVersion, kind, metadata: { ...metadata, ...(labels ? { labels } : {}) }, ...body } };
}

/** The objects of one identity's folder, in file order. */
export function identityObjects(fleet: string, identity: Identity): FolderObject[] {
  const a = identity.account;
  const labels = { 'app.kubernetes.io/part-of': 'dkp-fleet', 'app.kubernetes.io/instance': fleet, 'app.kubernetes.io/component': 'rbac' };
  const subjects = [{ kind: 'ServiceAccount', name: a.name, namespace: a.namespace }];
  const objects: FolderObject[] = [];
  // unlabelled: the namespace may exist already, with other things in it
  if (a.createNamespace) objects.push(objectOf('Namespace', 'v1', { name: a.namespace }, undefined, {}));
  objects.push(objectOf('ServiceAccount', 'v1', { name: a.name, namespace: a.namespace }, labels, {}));
  for (const [suffix, rules] of [[READ_ROLE, identity.reads], [APPLY_ROLE, identity.writes]] as const) {
    const name = `${a.name}-${suffix}`;
    const byNamespace = new Map<string, AccessRule[]>();
    for (const r of rules) {
      const ns = r.namespace ?? '';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
    }
    for (const [ns, nsRules] of byNamespace) {
      if (ns === '') {
        objects.push(objectOf('ClusterRole', RBAC_API, { name }, labels, { rules: policyRules(nsRules) }));
        objects.push(objectOf('ClusterRoleBinding', RBAC_API, { name }, labels, {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects,
        }));
      } else {
        objects.push(objectOf('Role', RBAC_API, { name, namespace: ns }, labels, { rules: policyRules(nsRules) }));
        objects.push(objectOf('RoleBinding', RBAC_API, { name, namespace: ns }, labels, {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects,
        }));
      }
    }
  }
  return objects.sort(byKey((o) => o.file));
}

/** The files of dist/rbac/: per identity its objects and a kustomization.yaml listing them; sorted by path. */
export function rbacFiles(access: AccessPlan, yaml: FastYaml = new FastYaml()): OutputFile[] {
  return access.identities
    .flatMap((i) => folderFiles({ name: accessFolder(i.cluster), objects: identityObjects(access.fleet, i) }, yaml))
    .sort(byPath);
}

/** The files of dist/rbac/ of a plan: what synthesis writes. */
export function accessFiles(plan: Plan, gates: GatePlan, yaml: FastYaml = new FastYaml()): OutputFile[] {
  return rbacFiles(planAccess(plan, gates), yaml);
}
