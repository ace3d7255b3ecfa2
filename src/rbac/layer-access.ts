import { AccessRule, READ_VERBS, Verb } from './access-plan';
import { appliedObjects } from './applied-objects';
import { RuleSet, Target, target } from './rule-set';
import { GatePlan } from '../gates/gate-plan';
import { JobGateSpec } from '../gates/job-gate-spec';
import { resourceOf } from '../gates/kinds/kind';
import { HealthCheck, Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/**
 * The access one layer needs of the identity it uses (its checks, the objects it applies, what its
 * Job gate reads), and the rules of a Job gate's own Roles.
 */

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
export type KindOf = (group: string, resource: string) => string;

export function kindsOf(plan: Plan, gates: GatePlan): KindOf {
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
export function addLayer(layer: Layer, plan: Plan, gates: GatePlan, kindOf: KindOf, reads: RuleSet, writes: RuleSet): void {
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
export function gateRules(gate: JobGateSpec, kindOf: KindOf): AccessRule[] {
  const set = new RuleSet();
  for (const r of gate.reads) {
    const t = { group: r.group, resource: r.resource, kind: kindOf(r.group, r.resource), ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) };
    if (r.names === undefined) set.add(t, ['list']);
    for (const n of r.names ?? []) set.add(t, ['get'], n);
  }
  return set.list();
}
