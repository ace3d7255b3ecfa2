import { clusterApiVersions, CLUSTER_RESOURCE_SET_API_VERSION, HELM_CHART_PROXY_API_VERSION, PROVIDER_API_VERSION } from '../catalog/api-versions';
import { GatePlan } from '../gates/gate-plan';
import { JobGateSpec } from '../gates/job-gate-spec';
import { resourceOf } from '../gates/kinds/kind';
import { HealthCheck, Layer, LayerTarget } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/**
 * Least privilege, written out (issue 13): from the plan, the exact access of every identity the
 * layers use. The layers reach a cluster as one identity each: the management cluster's (the user
 * of `spec.flux.managementKubeConfig`, or Kommander's Flux) applies and checks; a workspace
 * cluster's only reads (its layers check HelmReleases and addon workloads), except where it runs
 * a Job gate (kommander mode with a gateImage), whose objects it applies; the hub's, where layers
 * run on the hub itself (rollout controls), applies only their Job gates. The gate Jobs'
 * ServiceAccounts have Roles of their own, written by the layers: they are listed here, not
 * written again.
 *
 * What Flux does with an identity (fluxcd/pkg ssa, kustomize-controller):
 * - apply: server-side apply, a `patch` (dry run, then for real) after a `get`; the API server
 *   authorizes an apply that creates the object as `create`, with its name. Flux never sends
 *   `update`. So: `patch` on every object a layer applies, `create` where the object may not
 *   exist yet; both by name (`resourceNames`).
 * - prune: `delete`, only where the layer prunes (Flux with `deletionPolicy`) and only objects
 *   without `kustomize.toolkit.fluxcd.io/prune: disabled` (Flux reads them and skips them).
 * - health checks: `get` of each checked object (Flux >= 2.5, whose status poller reads objects
 *   directly), `list` of each kind in its namespace (older Flux, whose poller lists every kind it
 *   checks into a cache); `watch` completes the read verbs. kstatus reads a Deployment's
 *   ReplicaSets and Pods (a StatefulSet's Pods) unless a CEL expression decides the kind.
 */

/** An RBAC verb dkp-fleet grants. */
export type Verb = 'create' | 'delete' | 'get' | 'list' | 'patch' | 'watch';

/** The verbs that only read. */
export const READ_VERBS: readonly Verb[] = ['get', 'list', 'watch'];

/** One permission: verbs on one resource, in one namespace or cluster-wide. */
export interface AccessRule {
  /** @default - cluster-scoped (a ClusterRole) */
  readonly namespace?: string;
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Plural resource name. */
  readonly resource: string;
  /** The kind, for people (PLAN.md). */
  readonly kind: string;
  /** Sorted. */
  readonly verbs: readonly Verb[];
  /** Objects the rule is limited to, sorted. @default - every object of the resource (in the namespace) */
  readonly resourceNames?: readonly string[];
}

/** Where an identity's ServiceAccount lives, and how Flux reaches the cluster as it. */
export interface IdentityAccount {
  /** The ServiceAccount the roles are bound to: `dkp-fleet-<fleet>`. */
  readonly name: string;
  /**
   * The namespace of the layer Kustomizations that use the identity: where Flux looks for
   * `spec.serviceAccountName` on the target cluster when it impersonates.
   */
  readonly namespace: string;
  /** The folder creates the namespace (hub mode: the hub's Flux namespace need not exist on the target). */
  readonly createNamespace: boolean;
  /** The kubeconfig Secret the layers use (on the cluster that runs them). @default - none: the Flux on the cluster itself */
  readonly kubeConfigSecret?: { readonly name: string; readonly namespace: string };
}

/** The access of the identity the layers use on one cluster. */
export interface Identity {
  /** Cluster name ({@link HUB} for the hub): the folder is `rbac/<cluster>`. */
  readonly cluster: string;
  readonly type: 'management' | 'managed' | 'attached' | 'hub';
  readonly account: IdentityAccount;
  /** Layers that reach the cluster as this identity, in plan order. */
  readonly layers: readonly string[];
  /** Read rules (only read verbs), sorted. */
  readonly reads: readonly AccessRule[];
  /** Write rules (by name), sorted. Empty for a workspace cluster unless it runs a Job gate. */
  readonly writes: readonly AccessRule[];
}

/** A gate Job's ServiceAccount and the Roles its layer writes for it (README, "Health gates"). */
export interface GateAccess {
  readonly layer: string;
  /** The cluster it runs on. */
  readonly cluster: string;
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  readonly job: string;
  /** Its rules, as the layer writes them: `get` by name, `list` where it reads by label. Sorted. */
  readonly rules: readonly AccessRule[];
  /** The files of its Roles (or ClusterRole) in the layer folder, relative to dist/. */
  readonly files: readonly string[];
}

export interface AccessPlan {
  readonly fleet: string;
  /** The management cluster's name. */
  readonly management: string;
  /** The layers run on a hub (hub mode), else on the management cluster's Flux. */
  readonly hub: boolean;
  /** The management cluster's identity first, then the hub's (if layers run there), then the workspace clusters' by name. */
  readonly identities: readonly Identity[];
  /** By layer, in plan order. */
  readonly gates: readonly GateAccess[];
}

/** The folder of an identity under dist/. */
export const RBAC_FOLDER = 'rbac';
/**
 * The identity of layers that run on the hub itself (rollout controls, in hub mode): not a
 * Kubernetes name, so no cluster of the fleet can be named so.
 */
export const HUB = '_hub';
export const accessFolder = (cluster: string): string => `${RBAC_FOLDER}/${cluster}`;

/** Name of every identity's ServiceAccount, Roles (`-read`, `-apply`) and bindings. */
export const accountName = (fleet: string): string => `dkp-fleet-${fleet}`;

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ruleKey = (r: AccessRule) => `${r.namespace ?? ''}\u0000${r.group}\u0000${r.resource}\u0000${r.verbs.join(',')}`;

/** Orders rules: cluster-scoped first, then by namespace, group, resource, verbs. */
export function compareRules(a: AccessRule, b: AccessRule): number {
  return byString(ruleKey(a), ruleKey(b));
}

/** An object a layer applies or checks, on the layer's target cluster. */
interface Target {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

const target = (apiVersion: string, kind: string, name: string, namespace?: string): Target => {
  const r = resourceOf({ apiVersion, kind });
  return { group: r.group, resource: r.resource, kind, name, ...(namespace !== undefined ? { namespace } : {}) };
};

/** Collects rules, merging the names and verbs of one resource. */
class RuleSet {
  private readonly rules = new Map<string, { rule: Omit<AccessRule, 'verbs' | 'resourceNames'>; verbs: Set<Verb>; names?: Set<string> }>();

  /** Adds verbs on one resource; `name` limits them to named objects (merged with other names of the same verbs). */
  public add(t: Omit<Target, 'name'>, verbs: readonly Verb[], name?: string): void {
    const key = `${t.namespace ?? ''}\u0000${t.group}\u0000${t.resource}\u0000${[...verbs].sort().join(',')}\u0000${name === undefined ? '*' : 'named'}`;
    let entry = this.rules.get(key);
    if (entry === undefined) {
      entry = {
        rule: { group: t.group, resource: t.resource, kind: t.kind, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}) },
        verbs: new Set(verbs),
        ...(name !== undefined ? { names: new Set<string>() } : {}),
      };
      this.rules.set(key, entry);
    }
    if (name !== undefined) entry.names!.add(name);
  }

  /** The rules, sorted; a named rule made redundant by an unnamed one with the same verbs is dropped. */
  public list(): AccessRule[] {
    const out: AccessRule[] = [];
    for (const [key, e] of this.rules) {
      if (e.names !== undefined && this.rules.has(key.replace(/named$/, '*'))) continue;
      out.push({ ...e.rule, verbs: [...e.verbs].sort(), ...(e.names !== undefined ? { resourceNames: [...e.names].sort() } : {}) });
    }
    return out.sort((a, b) => compareRules(a, b) || byString((a.resourceNames ?? []).join(','), (b.resourceNames ?? []).join(',')));
  }
}

/** How Flux applies one object: always `patch`; `create` unless it must exist; `delete` where pruning can remove it. */
interface Applied extends Target {
  /** The object must exist before the layer runs (a partial object, a provider the preflight proves): Flux must never create it. */
  readonly mustExist: boolean;
  /** Carries `kustomize.toolkit.fluxcd.io/prune: disabled` (every Cluster API object, and a ClusterResourceSet's ConfigMap). */
  readonly pruneDisabled: boolean;
}

/**
 * The objects a layer's folder holds, as its constructs render them (src/constructs/, charts/layer-chart.ts),
 * with the gate's objects (constructs/gates/job-gate.ts).
 */
function appliedObjects(layer: Layer, plan: Plan, gate: JobGateSpec | undefined): Applied[] {
  const c = layer.content;
  const capi = clusterApiVersions(plan.release.capiContract);
  const out: Applied[] = [];
  const add = (t: Target, mustExist: boolean, pruneDisabled: boolean) => out.push({ ...t, mustExist, pruneDisabled });
  for (const a of c.appDeployments) add(target(plan.release.kommander.appDeploymentApiVersion, 'AppDeployment', a.name, a.namespace), false, false);
  for (const p of c.versionPatches) {
    add(target(p.kind === 'KubeadmControlPlane' ? capi.controlPlane : capi.cluster, p.kind, p.name, p.namespace), true, true);
  }
  // mgmt-preflight proves each provider object exists: creating one would run the operator's install path over clusterctl's providers
  for (const p of c.providers) add(target(PROVIDER_API_VERSION, p.kind, p.name, p.namespace), true, true);
  for (const h of c.helmChartProxies) add(target(HELM_CHART_PROXY_API_VERSION, 'HelmChartProxy', h.name, h.namespace), false, true);
  for (const s of c.clusterResourceSets) {
    add(target(CLUSTER_RESOURCE_SET_API_VERSION, 'ClusterResourceSet', s.name, s.namespace), false, true);
    if (Object.keys(s.data).length > 0) add(target('v1', 'ConfigMap', s.name, s.namespace), false, true);
  }
  if (gate !== undefined) {
    add(target('batch/v1', 'Job', gate.jobName, gate.namespace), false, false);
    add(target('v1', 'ServiceAccount', gate.name, gate.namespace), false, false);
    for (const ns of gateNamespaces(gate)) {
      if (ns === undefined) {
        add(target(`${RBAC_GROUP}/v1`, 'ClusterRole', `${gate.name}-${gate.namespace}`), false, false);
        add(target(`${RBAC_GROUP}/v1`, 'ClusterRoleBinding', `${gate.name}-${gate.namespace}`), false, false);
      } else {
        add(target(`${RBAC_GROUP}/v1`, 'Role', gate.name, ns), false, false);
        add(target(`${RBAC_GROUP}/v1`, 'RoleBinding', gate.name, ns), false, false);
      }
    }
  }
  return out;
}

/** The namespaces a gate reads in (`undefined`: cluster-scoped reads), sorted: one Role each (constructs/gates/job-gate.ts). */
function gateNamespaces(gate: JobGateSpec): (string | undefined)[] {
  const set = new Set(gate.reads.map((r) => r.namespace ?? ''));
  return [...set].sort(byString).map((ns) => (ns === '' ? undefined : ns));
}

/** kstatus reads these with a kind's own status reader (no CEL for it): a Deployment's ReplicaSets and Pods, a StatefulSet's Pods. */
const GENERATED: Readonly<Record<string, readonly { readonly group: string; readonly resource: string; readonly kind: string }[]>> = {
  'apps/Deployment': [{ group: 'apps', resource: 'replicasets', kind: 'ReplicaSet' }, { group: '', resource: 'pods', kind: 'Pod' }],
  'apps/ReplicaSet': [{ group: '', resource: 'pods', kind: 'Pod' }],
  'apps/StatefulSet': [{ group: '', resource: 'pods', kind: 'Pod' }],
};

/**
 * Secrets are read by name only, with `get`: a list of a cluster's namespace on the management
 * cluster would read the kubeconfig Secrets of its clusters.
 */
const SENSITIVE = new Set(['/secrets']);

/** Kinds of resources only Job gates read (no check or applied object names them): by label, or a rollout control's Flux objects. */
const LISTED_KINDS: Readonly<Record<string, string>> = {
  'addons.cluster.x-k8s.io/helmreleaseproxies': 'HelmReleaseProxy',
  'kustomize.toolkit.fluxcd.io/kustomizations': 'Kustomization',
  'source.toolkit.fluxcd.io/gitrepositories': 'GitRepository',
  'source.toolkit.fluxcd.io/ocirepositories': 'OCIRepository',
  'source.toolkit.fluxcd.io/buckets': 'Bucket',
};

/** The kind of a resource, from the objects the plan applies and checks. */
type KindOf = (group: string, resource: string) => string;

function kindsOf(plan: Plan, gates: GatePlan): KindOf {
  const kinds = new Map<string, string>(Object.entries(LISTED_KINDS));
  for (const l of plan.layers) {
    const gate = gates.jobGates.get(l.name);
    for (const t of [...l.checks.map((c) => target(c.apiVersion, c.kind, c.name, c.namespace)), ...appliedObjects(l, plan, gate)]) {
      kinds.set(`${t.group}/${t.resource}`, t.kind);
    }
  }
  return (group, resource) => kinds.get(`${group}/${resource}`) ?? resource;
}

/** The access one identity needs for one layer. */
function addLayer(layer: Layer, plan: Plan, gates: GatePlan, kindOf: KindOf, reads: RuleSet, writes: RuleSet): void {
  const gate = gates.jobGates.get(layer.name);
  const prunes = gates.profile.deletionPolicy; // the layer Kustomization's `prune` (constructs/flux/layer-kustomization.ts)
  const cel = new Set((gates.healthGates.get(layer.name)?.healthCheckExprs ?? []).map((e) => `${resourceOf(e).group}/${e.kind}`));
  const read = (t: Omit<Target, 'name'>, name: string) => {
    if (SENSITIVE.has(`${t.group}/${t.resource}`)) reads.add(t, ['get'], name);
    else reads.add(t, READ_VERBS);
  };
  const checks: HealthCheck[] = [...layer.checks];
  if (gate !== undefined) {
    checks.push({ apiVersion: 'batch/v1', kind: 'Job', name: gate.jobName, namespace: gate.namespace, expect: { type: 'ready' }, applied: true });
  }
  for (const c of checks) {
    const t = target(c.apiVersion, c.kind, c.name, c.namespace);
    read(t, c.name);
    const gk = `${t.group}/${c.kind}`;
    if (!cel.has(gk)) {
      for (const g of GENERATED[gk] ?? []) reads.add({ ...g, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}) }, READ_VERBS);
    }
  }
  for (const o of appliedObjects(layer, plan, gate)) {
    read(o, o.name); // apply reads the object first; `wait: true` checks every applied object
    const verbs: Verb[] = ['patch', ...(o.mustExist ? [] : ['create' as const]), ...(prunes && !o.pruneDisabled ? ['delete' as const] : [])];
    writes.add(o, verbs, o.name);
  }
  // Creating the gate's Roles needs every permission they grant (RBAC's escalation check): the identity reads what the gate reads.
  for (const r of gate?.reads ?? []) {
    reads.add({ group: r.group, resource: r.resource, kind: kindOf(r.group, r.resource), ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) },
      READ_VERBS);
  }
}

/** The rules of a gate's Roles, exactly as constructs/gates/job-gate.ts writes them. */
function gateRules(gate: JobGateSpec, kindOf: KindOf): AccessRule[] {
  const set = new RuleSet();
  for (const r of gate.reads) {
    const t = { group: r.group, resource: r.resource, kind: kindOf(r.group, r.resource), ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) };
    if (r.names === undefined) set.add(t, ['list']);
    for (const n of r.names ?? []) set.add(t, ['get'], n);
  }
  return set.list();
}

/**
 * The access every identity of a plan needs: deterministic, rules sorted.
 *
 * @throws Error when a workspace cluster's or the hub's identity would write anything but Job gates' objects (a bug in dkp-fleet)
 */
export function planAccess(plan: Plan, gates: GatePlan): AccessPlan {
  const flux = plan.fleet.flux;
  const kommander = flux.mode === 'kommander';
  const kindOf = kindsOf(plan, gates);
  const typeOf = new Map(plan.fleet.workspaces.flatMap((w) => w.clusters.map((c) => [c.name, c.type] as const)));
  const byCluster = new Map<string, { layers: Layer[]; reads: RuleSet; writes: RuleSet }>();
  for (const layer of plan.layers) {
    const key = identityOf(layer.target);
    let entry = byCluster.get(key);
    if (entry === undefined) {
      entry = { layers: [], reads: new RuleSet(), writes: new RuleSet() };
      byCluster.set(key, entry);
    }
    entry.layers.push(layer);
    addLayer(layer, plan, gates, kindOf, entry.reads, entry.writes);
  }
  const identities: Identity[] = [];
  for (const [cluster, e] of byCluster) {
    const t = e.layers[0].target;
    // the namespace of its layer Kustomizations (charts/fleet-chart.ts), where impersonation looks for the ServiceAccount
    const hub = onFlux(t) && !t.management;
    const namespace = kommander && !t.management && !onFlux(t) ? t.secretNamespace ?? flux.namespace : flux.namespace;
    const remote = !onFlux(t) && (!kommander || !t.management);
    const writes = e.writes.list();
    if (!t.management) {
      const allowed = new Set(['batch/jobs', '/serviceaccounts', `${RBAC_GROUP}/roles`, `${RBAC_GROUP}/rolebindings`,
        `${RBAC_GROUP}/clusterroles`, `${RBAC_GROUP}/clusterrolebindings`]);
      const bad = writes.filter((w) => !allowed.has(`${w.group}/${w.resource}`));
      if (bad.length > 0) {
        const where = hub ? 'the hub' : `workspace cluster ${cluster}`;
        throw new Error(`internal: layers write ${bad.map((w) => w.kind).join(', ')} to ${where}, which they only read`);
      }
    }
    identities.push({
      cluster,
      type: t.management ? 'management' : hub ? 'hub' : typeOf.get(cluster) ?? 'managed',
      account: {
        name: accountName(plan.fleet.name),
        namespace,
        createNamespace: !kommander && !hub, // the hub has its Flux namespace
        ...(remote ? { kubeConfigSecret: { name: t.kubeconfigSecret, namespace } } : {}),
      },
      layers: e.layers.map((l) => l.name),
      reads: e.reads.list(),
      writes,
    });
  }
  const rank = (i: Identity) => (i.type === 'management' ? 0 : i.type === 'hub' ? 1 : 2);
  identities.sort((a, b) => rank(a) - rank(b) || byString(a.cluster, b.cluster));
  const gateList: GateAccess[] = plan.layers.flatMap((l) => {
    const g = gates.jobGates.get(l.name);
    if (g === undefined) return [];
    const files = gateNamespaces(g)
      .map((ns) => (ns === undefined ? `${l.name}/clusterrole.${g.name}-${g.namespace}.yaml` : `${l.name}/role.${ns}.${g.name}.yaml`));
    return [{
      layer: l.name,
      cluster: identityOf(l.target),
      serviceAccount: { name: g.name, namespace: g.namespace },
      job: g.jobName,
      rules: gateRules(g, kindOf),
      files,
    }];
  });
  return { fleet: plan.fleet.name, management: plan.fleet.management.name, hub: !kommander, identities, gates: gateList };
}

/**
 * Does a layer run on the cluster Flux runs on, with no kubeConfig (a rollout control: the hub,
 * or the management cluster in kommander mode)? Read defensively: older plans have no such target.
 */
function onFlux(t: LayerTarget): boolean {
  return (t as { readonly flux?: boolean }).flux === true;
}

/** The identity a layer uses: its target cluster's, or the hub's. */
function identityOf(t: LayerTarget): string {
  return onFlux(t) && !t.management ? HUB : t.cluster;
}
