import { CheckKind, condition, fields, OBSERVED, readOf, sq, str } from './kind';

/**
 * ClusterResourceSets (Cluster API v1.1.3 and D2iQ's fork v1.1.3-d2iq.3 for DKP 2.2;
 * test/fixtures/timelines/clusterresourceset-v1beta1.yaml). A set's status cannot prove new
 * content: a ConfigMap's data changes neither its generation nor `ResourcesApplied`, which can be
 * True from the last upgrade, or even with the ConfigMap missing. The proof is the
 * ClusterResourceSetBinding named after the cluster: for each set, its ConfigMap marked applied
 * with the hash of the content dkp-fleet wrote (sha256 over the data values in key order,
 * `sha256:<hex>`). With the fork's `ApplyAlways` every reconcile re-applies and re-hashes, so the
 * hash proves this content reached the cluster. With `ApplyOnce` an applied resource is never
 * applied again: an applied entry with another hash will never change, which is a failure.
 */

const SET_SHELL = `# check_resource_set <namespace> <name>
check_resource_set() {
  rs_out=$(kubectl get clusterresourcesets.addons.cluster.x-k8s.io "$2" -n "$1" -o ${sq(`jsonpath=${fields([
    '.metadata.generation', '.status.observedGeneration', '.status.conditions[?(@.type=="ResourcesApplied")].status',
    '.status.conditions[?(@.type=="ResourcesApplied")].reason',
  ])}`)} 2>&1) || { echo "waiting: $rs_out"; return; }
  IFS='|' read -r gen og applied reason _ <<RS
$rs_out
RS
  if [ -z "$gen" ] || [ "$gen" != "$og" ]; then echo "waiting: generation $gen not observed yet"; return; fi
  if [ "$applied" != True ]; then echo "waiting: ResourcesApplied is \${applied:-unset} \${reason:-}"; return; fi
  echo done
}`;

const BINDING_LINE = '{range .spec.bindings[*]}{.clusterResourceSetName}{range .resources[*]}|{.kind}/{.name}={.applied}={.hash}{end}|{"\\n"}{end}';

const BINDING_SHELL = `# check_resource_set_binding <namespace> <cluster> <ApplyOnce|ApplyAlways> [<set> <ConfigMap> <hash>]...
check_resource_set_binding() {
  rb_out=$(kubectl get clusterresourcesetbindings.addons.cluster.x-k8s.io "$2" -n "$1" -o ${sq(`jsonpath=${BINDING_LINE}`)} 2>&1) \\
    || { echo "waiting: $rb_out"; return; }
  strategy=$3
  shift 3
  rb_wait=
  while [ $# -ge 3 ]; do
    entry=
    while IFS= read -r line; do
      case "$line" in "$1|"*) entry=$line ;; esac
    done <<RB
$rb_out
RB
    case "$entry" in
      *"|ConfigMap/$2=true=$3|"*) ;;
      *"|ConfigMap/$2=true="*)
        if [ "$strategy" = ApplyOnce ]; then echo "failed: $1 applied other content to the cluster, and ApplyOnce never applies again"; return; fi
        rb_wait="waiting: $1: the cluster has other content of ConfigMap $2" ;;
      *) rb_wait="waiting: $1: ConfigMap $2 not applied yet" ;;
    esac
    shift 3
  done
  if [ -n "$rb_wait" ]; then echo "$rb_wait"; return; fi
  echo done
}`;

export const RESOURCE_SET: CheckKind<'resource-set'> = {
  describe: () => 'generation observed and ResourcesApplied (not proof of new content: the binding check is)',
  kstatus: false,
  celExact: true,
  detectsFailure: false,
  cel: () => ({ current: `${OBSERVED} && ${condition('ResourcesApplied', 'True')}` }),
  shell: (c) => ({ fn: { name: 'check_resource_set', body: SET_SHELL }, args: [c.namespace ?? '', c.name], reads: [readOf(c)] }),
};

/** CEL: the binding has the set's ConfigMap applied, with a hash that `hash` (a CEL condition on `r.hash`) accepts. */
function entry(set: { clusterResourceSet: string; configMap: string }, hash: string): string {
  return `spec.bindings.exists(b, b.clusterResourceSetName == ${str(set.clusterResourceSet)} && has(b.resources)`
    + ` && b.resources.exists(r, r.kind == 'ConfigMap' && r.name == ${str(set.configMap)} && has(r.applied) && r.applied && has(r.hash) && ${hash}))`;
}

export const RESOURCE_SET_BINDING: CheckKind<'resource-set-binding'> = {
  describe: (c) => `has applied the content dkp-fleet wrote: ${c.expect.sets.map((s) => `${s.clusterResourceSet} (${s.hash.slice(0, 19)}...)`).join(', ')}`,
  kstatus: false,
  celExact: true,
  detectsFailure: true,
  cel: (checks) => {
    if (checks.length !== 1) throw new Error('internal: one ClusterResourceSetBinding per layer (one cluster per addons layer)');
    const { sets, strategy } = checks[0].expect;
    return {
      current: `has(spec.bindings) && ${sets.map((s) => entry(s, `r.hash == ${str(s.hash)}`)).join(' && ')}`,
      ...(strategy === 'ApplyOnce' ? { failed: `has(spec.bindings) && (${sets.map((s) => entry(s, `r.hash != ${str(s.hash)}`)).join(' || ')})` } : {}),
    };
  },
  shell: (c) => ({
    fn: { name: 'check_resource_set_binding', body: BINDING_SHELL },
    args: [c.namespace ?? '', c.name, c.expect.strategy, ...c.expect.sets.flatMap((s) => [s.clusterResourceSet, s.configMap, s.hash])],
    reads: [readOf(c)],
  }),
};
