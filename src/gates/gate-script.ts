import { HealthCheck } from '../planner/layer';

/**
 * The shell script of a Job gate: for a Flux without CEL health checks, it waits until every
 * check's exact condition holds (the version a HelmRelease applied, a control plane's version
 * and replicas, a Backup's phase...), polling with `kubectl get` so that its RBAC can be
 * limited to `get` on the named objects, and so any kubectl works (`kubectl wait
 * --for=jsonpath` needs kubectl 1.23). It exits 1 with the last value seen when the deadline
 * passes, and at once when an object reports a terminal failure.
 */
export function gateScript(checks: readonly HealthCheck[], timeoutSeconds: number): string {
  const lines = [
    'set -eu',
    `deadline=$(( $(date +%s) + ${timeoutSeconds} ))`,
    '# value_is <namespace|-> <resource/name> <jsonpath> <accepted value>...: wait until the field has one of the values',
    'value_is() {',
    '  ns=$1; obj=$2; path=$3; shift 3',
    '  while :; do',
    '    if [ "$ns" = - ]; then v=$(kubectl get "$obj" -o "jsonpath=$path" 2>/dev/null || true); '
      + 'else v=$(kubectl get -n "$ns" "$obj" -o "jsonpath=$path" 2>/dev/null || true); fi',
    '    for want in "$@"; do if [ "$v" = "$want" ]; then echo "ok: $obj $path = $v"; return 0; fi; done',
    '    case "$v" in Failed|PartiallyFailed|FailedValidation) echo "failed: $obj $path = $v"; exit 1;; esac',
    '    if [ "$(date +%s)" -ge "$deadline" ]; then echo "timed out: $obj $path = \'$v\', want: $*"; exit 1; fi',
    '    sleep 10',
    '  done',
    '}',
    '# same <namespace> <resource/name> <jsonpath a> <jsonpath b>: wait until two fields are equal and set',
    'same() {',
    '  ns=$1; obj=$2',
    '  while :; do',
    '    a=$(kubectl get -n "$ns" "$obj" -o "jsonpath=$3" 2>/dev/null || true); b=$(kubectl get -n "$ns" "$obj" -o "jsonpath=$4" 2>/dev/null || true)',
    '    if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "ok: $obj $3 = $4 = $a"; return 0; fi',
    '    if [ "$(date +%s)" -ge "$deadline" ]; then echo "timed out: $obj $3 = \'$a\', $4 = \'$b\'"; exit 1; fi',
    '    sleep 10',
    '  done',
    '}',
  ];
  const q = (s: string) => `'${s.replace(/'/g, `'"'"'`)}'`;
  const ready = (type: string) => `{.status.conditions[?(@.type=="${type}")].status}`;
  for (const c of checks) {
    const obj = q(`${resourceOf(c)}/${c.name}`);
    const ns = q(c.namespace ?? '-');
    const e = c.expect;
    switch (e.type) {
      case 'helm-release': {
        lines.push(`value_is ${ns} ${obj} ${q(ready('Ready'))} True`);
        if (e.chartVersion !== undefined) {
          const bare = e.chartVersion.replace(/^v/, '');
          lines.push(`value_is ${ns} ${obj} '{.status.lastAppliedRevision}' ${q(bare)} ${q(`v${bare}`)}`);
        }
        break;
      }
      case 'backup-completed':
        lines.push(`value_is ${ns} ${obj} '{.status.phase}' Completed`);
        break;
      case 'control-plane':
        lines.push(`value_is ${ns} ${obj} '{.status.version}' ${q(e.version)}`);
        lines.push(`same ${ns} ${obj} '{.status.updatedReplicas}' '{.spec.replicas}'`);
        lines.push(`same ${ns} ${obj} '{.status.readyReplicas}' '{.spec.replicas}'`);
        break;
      case 'machine-deployment':
        lines.push(`same ${ns} ${obj} '{.status.observedGeneration}' '{.metadata.generation}'`);
        lines.push(`same ${ns} ${obj} '{.status.updatedReplicas}' '{.spec.replicas}'`);
        lines.push(`same ${ns} ${obj} '{.status.readyReplicas}' '{.spec.replicas}'`);
        break;
      case 'topology':
        lines.push(`value_is ${ns} ${obj} '{.spec.topology.version}' ${q(e.version)}`);
        lines.push(`value_is ${ns} ${obj} ${q(ready('TopologyReconciled'))} True`);
        lines.push(`value_is ${ns} ${obj} ${q(ready('Ready'))} True`);
        break;
      case 'provider':
        lines.push(`value_is ${ns} ${obj} '{.status.installedVersion}' ${q(e.version)}`);
        lines.push(`value_is ${ns} ${obj} ${q(ready('Ready'))} True`);
        break;
      case 'helm-chart-proxy':
        lines.push(`value_is ${ns} ${obj} ${q(ready('Ready'))} True`);
        break;
      case 'resource-set':
        lines.push(`value_is ${ns} ${obj} ${q(ready('ResourcesApplied'))} True`);
        break;
      case 'ready':
      case 'exists':
        break;
    }
  }
  lines.push('echo "all checks passed"');
  return `${lines.join('\n')}\n`;
}

/** `kubectl get` resource name of a check's object: plural, fully qualified by group. */
export function resourceOf(c: Pick<HealthCheck, 'apiVersion' | 'kind'>): string {
  const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
  const lower = c.kind.toLowerCase();
  const plural = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return group ? `${plural}.${group}` : plural;
}
