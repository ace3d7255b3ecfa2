import { CheckKind, CheckOf, fields, perObject, readOf, resourceOf, strList } from './kind';

/**
 * The premise of a cluster's Kubernetes layers: its objects are at the version the fleet file
 * says they are (`from`), or already at the target (a re-run). Cluster API writes the versions
 * dkp-fleet reads (test/fixtures/timelines/premise-*.yaml): a KubeadmControlPlane's
 * `spec.version` is what it rolls to and `status.version` the lowest version among its healthy
 * machines; a MachineDeployment's `spec.template.spec.version` is what its machines roll to; a
 * ClusterClass Cluster's `spec.topology.version` governs its control plane and workers. Anything
 * else is terminal: the fleet file does not describe the cluster (or someone upgraded it by hand),
 * and no controller will change that.
 */

/** Where each kind declares its version, and (control planes) reports the one it runs. */
const VERSION_FIELDS: Record<string, { readonly declared: string; readonly running?: string }> = {
  KubeadmControlPlane: { declared: 'spec.version', running: 'status.version' },
  MachineDeployment: { declared: 'spec.template.spec.version' },
  Cluster: { declared: 'spec.topology.version' },
};

function fieldsOf(kind: string): { readonly declared: string; readonly running?: string } {
  const f = VERSION_FIELDS[kind];
  if (f === undefined) throw new Error(`internal: no premise check for ${kind}`);
  return f;
}

/** CEL: `field` is present (every step of its path) and one of `list`. */
function presentIn(field: string, list: string): string {
  const parts = field.split('.');
  const has = parts.slice(1).map((_, i) => `has(${parts.slice(0, i + 2).join('.')})`);
  return `${has.join(' && ')} && ${field} in ${list}`;
}

const SHELL = `# check_premise <namespace> <resource> <name> <jsonpath: generation|observed|declared|running|end>
#   <declared field> <running field or -> <version>...
check_premise() {
  pm_out=$(kubectl get "$2" "$3" -n "$1" -o "jsonpath=$4" 2>&1) || { echo "waiting: $pm_out"; return; }
  IFS='|' read -r gen og declared running _ <<PM
$pm_out
PM
  pm_declared=$5; pm_running=$6
  shift 6
  pm_want=$(echo "$*" | sed 's/ / or /g')
  if [ -z "$gen" ] || [ "$gen" != "$og" ]; then echo "waiting: generation $gen not observed yet (\${og:-none})"; return; fi
  pm_d=; pm_r=
  for v in "$@"; do
    if [ "$declared" = "$v" ]; then pm_d=1; fi
    if [ "$running" = "$v" ]; then pm_r=1; fi
  done
  if [ -z "$pm_d" ]; then echo "failed: $pm_declared is \${declared:-unset}, the plan expects $pm_want"; return; fi
  if [ "$pm_running" = - ]; then echo done; return; fi
  if [ -z "$running" ]; then echo "waiting: $pm_running is unset (no healthy machine reported yet)"; return; fi
  if [ -z "$pm_r" ]; then echo "failed: $pm_running is $running, the plan expects $pm_want"; return; fi
  echo done
}`;

export const PREMISE: CheckKind<'premise'> = {
  describe: (c) => {
    const f = fieldsOf(c.kind);
    const at = c.expect.versions.join(' or ');
    return `at ${at}, as the plan assumes (${f.declared}${f.running ? ` and ${f.running}` : ''}); any other version stops this cluster`;
  },
  kstatus: false,
  celExact: true,
  detectsFailure: true,
  cel: (checks: readonly CheckOf<'premise'>[]) => {
    const f = fieldsOf(checks[0].kind);
    const list = perObject(checks, (c) => strList(c.expect.versions));
    const declared = presentIn(f.declared, list);
    if (f.running === undefined) {
      return { current: declared, failed: `!(${declared})` };
    }
    const running = presentIn(f.running, list);
    return {
      current: `${declared} && ${running}`,
      failed: `!(${declared}) || (has(${f.running}) && !(${f.running} in ${list}))`,
    };
  },
  shell: (c) => {
    const f = fieldsOf(c.kind);
    const path = fields(['.metadata.generation', '.status.observedGeneration', `.${f.declared}`, f.running ? `.${f.running}` : '.status.none']);
    return {
      fn: { name: 'check_premise', body: SHELL },
      args: [c.namespace ?? '', resourceOf(c).qualified, c.name, path, f.declared, f.running ?? '-', ...c.expect.versions],
      reads: [readOf(c)],
    };
  },
};
