import * as YAML from 'yaml';

/**
 * An independent reading of a synthesized output, for the RBAC tests: what each layer applies
 * and checks (from its folder and its Kustomization in fleet/), and a small RBAC authorizer over
 * the objects of an rbac/<cluster>/ folder. Nothing here uses src/rbac.
 */

export interface OutputFileLike {
  readonly path: string;
  readonly content: string;
}

/** The plural resource of each kind the output holds; an unknown kind fails the test (add it here on purpose). */
const RESOURCES: Readonly<Record<string, string>> = {
  AppDeployment: 'appdeployments',
  Backup: 'backups',
  BootstrapProvider: 'bootstrapproviders',
  Cluster: 'clusters',
  ClusterApp: 'clusterapps',
  ClusterResourceSet: 'clusterresourcesets',
  ClusterResourceSetBinding: 'clusterresourcesetbindings',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  ConfigMap: 'configmaps',
  ControlPlaneProvider: 'controlplaneproviders',
  CoreProvider: 'coreproviders',
  DaemonSet: 'daemonsets',
  Deployment: 'deployments',
  HelmChartProxy: 'helmchartproxies',
  HelmRelease: 'helmreleases',
  InfrastructureProvider: 'infrastructureproviders',
  Job: 'jobs',
  KubeadmControlPlane: 'kubeadmcontrolplanes',
  MachineDeployment: 'machinedeployments',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  StatefulSet: 'statefulsets',
};

export const READ = ['get', 'list', 'watch'];

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

export function resourceOfKind(kind: string): string {
  const r = RESOURCES[kind] ?? (/MachineTemplate$/.test(kind) ? `${kind.toLowerCase()}s` : undefined);
  if (r === undefined) throw new Error(`test/rbac/rbac-check.ts does not know the resource of kind ${kind}`);
  return r;
}

/** The objects of every YAML file under `folder/` (not its kustomization.yaml), with their paths. */
export function folderObjects(files: readonly OutputFileLike[], folder: string): { path: string; object: any }[] {
  return files
    .filter((f) => f.path.startsWith(`${folder}/`) && f.path.endsWith('.yaml') && !f.path.endsWith('/kustomization.yaml'))
    .map((f) => ({ path: f.path, object: YAML.parse(f.content) }));
}

/** A request as the API server authorizes it. */
export interface Request {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  /** @default - none (list, watch) */
  readonly name?: string;
}

function ruleMatches(rule: any, r: Request): boolean {
  const has = (list: string[] | undefined, v: string) => (list ?? []).includes(v) || (list ?? []).includes('*');
  if (!has(rule.apiGroups, r.group) || !has(rule.resources, r.resource) || !has(rule.verbs, r.verb)) return false;
  const names: string[] = rule.resourceNames ?? [];
  return names.length === 0 || (r.name !== undefined && names.includes(r.name));
}

/** RBAC's decision for a ServiceAccount, from the Roles, ClusterRoles and bindings of `objects`. */
export function authorizer(objects: readonly any[], subject: { name: string; namespace: string }): (r: Request) => boolean {
  const bound = (b: any) => (b.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === subject.name && s.namespace === subject.namespace);
  const roles = new Map(objects.filter((o) => o.kind === 'Role').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const clusterRoles = new Map(objects.filter((o) => o.kind === 'ClusterRole').map((o) => [o.metadata.name, o]));
  const grants: { namespace?: string; rules: any[] }[] = [];
  for (const b of objects.filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && bound(o))) {
    const role = b.roleRef.kind === 'ClusterRole' ? clusterRoles.get(b.roleRef.name) : roles.get(`${b.metadata.namespace}/${b.roleRef.name}`);
    if (role === undefined) continue; // a binding to a missing role grants nothing
    grants.push({ ...(b.kind === 'RoleBinding' ? { namespace: b.metadata.namespace } : {}), rules: role.rules ?? [] });
  }
  return (r) => grants.some((g) => (g.namespace === undefined || g.namespace === r.namespace) && g.rules.some((rule) => ruleMatches(rule, r)));
}

/** A layer as the output shows it. */
export interface OutputLayer {
  readonly name: string;
  /** The rbac folder of the identity it uses: `rbac/<cluster>`. */
  readonly identity: string;
  readonly prune: boolean;
  readonly wait: boolean;
  readonly healthChecks: readonly { apiVersion: string; kind: string; name: string; namespace?: string }[];
  readonly objects: readonly any[];
}

/**
 * The layers of an output: each Kustomization of fleet/ with the objects of its folder. Its
 * identity: the management cluster's when it uses the kubeConfig mgmt-preflight uses, or, when
 * mgmt-preflight has none (kommander mode: the layers run on the management cluster), when it
 * has none either; a layer without kubeConfig in hub mode runs on the hub itself (`rbac/_hub`);
 * else the cluster its `dkp-fleet/cluster` label names.
 */
export function outputLayers(files: readonly OutputFileLike[], management: string): OutputLayer[] {
  const kustomizations = folderObjects(files, 'fleet').map((o) => o.object);
  const secretOf = (k: any): string | undefined => k.spec.kubeConfig?.secretRef?.name;
  const preflight = kustomizations.find((k) => k.metadata.name === 'mgmt-preflight');
  return kustomizations.map((k) => {
    const secret = secretOf(k);
    const cluster = secret === secretOf(preflight) ? management : secret === undefined ? '_hub' : k.metadata.labels['dkp-fleet/cluster'];
    const folder = String(k.spec.path).split('/').pop()!;
    return {
      name: k.metadata.name,
      identity: `rbac/${cluster}`,
      prune: k.spec.prune === true,
      wait: k.spec.wait === true,
      healthChecks: k.spec.healthChecks ?? [],
      objects: folderObjects(files, folder).map((o) => o.object),
    };
  });
}

/** A name for messages. */
export const show = (r: Request) => `${r.verb} ${r.group === '' ? '' : `${r.group}/`}${r.resource} ${r.namespace ?? '(cluster)'}/${r.name ?? '*'}`;

/**
 * What the identities lack, or hold beyond what the layers need: every problem as a sentence.
 * Needed: get (and list/watch, but for Secrets) on every object checked or applied; patch by
 * name on every applied object; create unless the object must exist (a partial object with an
 * `ssa` annotation, a cluster-api-operator provider); delete exactly where the layer prunes an
 * object without prune protection; every permission a gate Role grants (RBAC's escalation check).
 * Beyond: a write on an object no layer applies, a delete or create the rules above do not need,
 * a write without resourceNames, a read of a kind in a namespace nothing there is checked or applied.
 */
export function accessProblems(files: readonly OutputFileLike[], fleet: { name: string; management: string }): string[] {
  const problems: string[] = [];
  const subject = (folder: string) => {
    const sa = folderObjects(files, folder).map((o) => o.object).find((o) => o.kind === 'ServiceAccount');
    return sa === undefined ? undefined : { name: sa.metadata.name, namespace: sa.metadata.namespace };
  };
  const canOf = new Map<string, (r: Request) => boolean>();
  const can = (folder: string, r: Request) => {
    let c = canOf.get(folder);
    if (c === undefined) {
      const s = subject(folder);
      c = s === undefined ? () => false : authorizer(folderObjects(files, folder).map((o) => o.object), s);
      canOf.set(folder, c);
    }
    return c(r);
  };
  const need = (folder: string, layer: string, r: Request) => {
    if (!can(folder, r)) problems.push(`${folder} cannot ${show(r)} (layer ${layer})`);
  };
  const mustNot = (folder: string, layer: string, r: Request, why: string) => {
    if (can(folder, r)) problems.push(`${folder} may ${show(r)}, which layer ${layer} never needs: ${why}`);
  };
  // what each identity's layers touch, for the other direction
  const applied = new Map<string, Set<string>>();
  const touched = new Map<string, Set<string>>();
  const note = (m: Map<string, Set<string>>, folder: string, key: string) => m.set(folder, (m.get(folder) ?? new Set()).add(key));

  for (const l of outputLayers(files, fleet.management)) {
    const f = l.identity;
    if (subject(f) === undefined) problems.push(`${f} has no ServiceAccount (layer ${l.name})`);
    const read = (t: { group: string; resource: string; namespace?: string; name: string }) => {
      need(f, l.name, { verb: 'get', ...t });
      if (t.resource === 'secrets') {
        mustNot(f, l.name, { verb: 'list', ...t, name: undefined }, 'Secrets are read by name');
      } else {
        for (const verb of ['list', 'watch']) need(f, l.name, { verb, ...t, name: undefined });
      }
      note(touched, f, `${t.namespace ?? ''}/${t.group}/${t.resource}`);
    };
    for (const h of l.healthChecks) {
      read({ group: groupOf(h.apiVersion), resource: resourceOfKind(h.kind), namespace: h.namespace, name: h.name });
      if (h.kind === 'Deployment' || h.kind === 'StatefulSet') {
        note(touched, f, `${h.namespace ?? ''}/apps/replicasets`);
        note(touched, f, `${h.namespace ?? ''}//pods`);
      }
    }
    for (const o of l.objects) {
      const t = { group: groupOf(o.apiVersion), resource: resourceOfKind(o.kind), namespace: o.metadata.namespace, name: o.metadata.name };
      read(t);
      note(applied, f, `${t.namespace ?? ''}/${t.group}/${t.resource}/${t.name}`);
      need(f, l.name, { verb: 'patch', ...t });
      const annotations = o.metadata.annotations ?? {};
      const mustExist = annotations['kustomize.toolkit.fluxcd.io/ssa'] !== undefined || t.group === 'operator.cluster.x-k8s.io';
      if (mustExist) mustNot(f, l.name, { verb: 'create', ...t }, 'the object must exist (partial object or provider)');
      else need(f, l.name, { verb: 'create', ...t });
      if (l.prune && annotations['kustomize.toolkit.fluxcd.io/prune'] !== 'disabled') need(f, l.name, { verb: 'delete', ...t });
      else mustNot(f, l.name, { verb: 'delete', ...t }, l.prune ? 'the object is prune-protected' : 'the layer never prunes');
      mustNot(f, l.name, { verb: 'update', ...t }, 'Flux applies with server-side apply (patch)');
      // a Role the layer applies grants no more than the identity holds
      if (o.kind === 'Role' || o.kind === 'ClusterRole') {
        for (const rule of o.rules ?? []) {
          for (const group of rule.apiGroups) {
            for (const resource of rule.resources) {
              for (const verb of rule.verbs) {
                for (const name of rule.resourceNames ?? [undefined]) {
                  need(f, l.name, { verb, group, resource, namespace: o.metadata.namespace, name });
                  note(touched, f, `${o.metadata.namespace ?? ''}/${group}/${resource}`);
                }
              }
            }
          }
        }
      }
    }
  }
  // the other direction: nothing in rbac/ beyond what the layers need
  const folders = [...new Set(files.filter((x) => x.path.startsWith('rbac/')).map((x) => x.path.split('/').slice(0, 2).join('/')))];
  for (const folder of folders) {
    for (const role of folderObjects(files, folder).map((o) => o.object).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      const ns = role.metadata.namespace ?? '';
      const what = `${folder}: ${role.kind} ${ns}/${role.metadata.name}`;
      for (const rule of role.rules ?? []) {
        const writes = rule.verbs.filter((v: string) => !READ.includes(v));
        for (const group of rule.apiGroups) {
          for (const resource of rule.resources) {
            if (writes.length > 0) {
              if (rule.resourceNames === undefined) problems.push(`${what} writes ${resource} without resourceNames`);
              for (const name of rule.resourceNames ?? []) {
                if (!applied.get(folder)?.has(`${ns}/${group}/${resource}/${name}`)) {
                  problems.push(`${what} may ${writes.join('/')} ${resource} ${ns}/${name}, which no layer applies`);
                }
              }
            } else if (!touched.get(folder)?.has(`${ns}/${group}/${resource}`)) {
              problems.push(`${what} reads ${resource} in ${ns || 'the cluster'}, which no layer checks or applies`);
            }
          }
        }
      }
    }
  }
  return problems;
}
