import { AccessPlan, accountName, GateAccess, HUB, Identity, RBAC_GROUP } from './access-plan';
import { gateNamespaces } from './applied-objects';
import { addLayer, gateRules, kindsOf } from './layer-access';
import { RuleSet } from './rule-set';
import { GatePlan } from '../gates/gate-plan';
import { compareStrings } from '../input/compare';
import { Layer, LayerTarget } from '../planner/layer';
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
  identities.sort((a, b) => rank(a) - rank(b) || compareStrings(a.cluster, b.cluster));
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
