import { CheckKind, count, fields, OBSERVED, perObject, readOf, sq, str } from './kind';

/**
 * A MachineDeployment rolled out at the new version. Cluster API v0.4.4 and v1.1.3 sum
 * `readyReplicas` and `availableReplicas` over the old and the new MachineSets, keep `phase:
 * Running` and Ready/Available true through a `maxUnavailable: 0` rollout, never set `phase:
 * Failed`, and omit zero counters in v1alpha4 (test/fixtures/timelines/machinedeployment-*.yaml).
 * Done is: the generation observed, the template at the version, exactly `spec.replicas` machines
 * (no old machine left, none being deleted), all updated, ready and available, none unavailable.
 */

const READ = fields([
  '.metadata.generation', '.status.observedGeneration', '.spec.template.spec.version', '.spec.replicas', '.status.replicas',
  '.status.updatedReplicas', '.status.readyReplicas', '.status.availableReplicas', '.status.unavailableReplicas',
]);

/** The shell test of a MachineDeployment's fields, shared with the topology check. */
export const MACHINE_DEPLOYMENT_DONE = `# machine_deployment_state <generation> <observed> <template version>
#   <spec.replicas> <replicas> <updated> <ready> <available> <unavailable> <version>
machine_deployment_state() {
  if [ -z "$1" ] || [ "$1" != "$2" ]; then echo "waiting: generation $1 not observed yet (\${2:-none})"; return; fi
  if [ "$3" != "\${10}" ]; then echo "waiting: template version is $3, not \${10}"; return; fi
  if [ "\${5:-0}" != "$4" ] || [ "\${6:-0}" != "$4" ] || [ "\${7:-0}" != "$4" ] || [ "\${8:-0}" != "$4" ] || [ "\${9:-0}" != 0 ]; then
    echo "waiting: \${5:-0} machines, \${6:-0} updated, \${7:-0} ready, \${8:-0} available, \${9:-0} unavailable; want $4"; return
  fi
  echo done
}`;

const SHELL = `${MACHINE_DEPLOYMENT_DONE}
# check_machine_deployment <namespace> <name> <version>
check_machine_deployment() {
  md_out=$(kubectl get machinedeployments.cluster.x-k8s.io "$2" -n "$1" -o ${sq(`jsonpath=${READ}`)} 2>&1) || { echo "waiting: $md_out"; return; }
  IFS='|' read -r gen og tv sr r ur rr ar uar _ <<MD
$md_out
MD
  machine_deployment_state "$gen" "$og" "$tv" "$sr" "$r" "$ur" "$rr" "$ar" "$uar" "$3"
}`;

/** CEL: a MachineDeployment object rolled out at `version` (a CEL expression). */
export function machineDeploymentDone(version: string): string {
  return `${OBSERVED} && spec.template.spec.version == ${version}`
    + ` && ${count('replicas')} == spec.replicas && ${count('updatedReplicas')} == spec.replicas`
    + ` && ${count('readyReplicas')} == spec.replicas && ${count('availableReplicas')} == spec.replicas && ${count('unavailableReplicas')} == 0`;
}

export const MACHINE_DEPLOYMENT: CheckKind<'machine-deployment'> = {
  describe: (c) => `rolled out at ${c.expect.version}: exactly spec.replicas machines, every one updated, ready and available`,
  kstatus: false,
  celExact: true,
  detectsFailure: false,
  cel: (checks) => ({ current: machineDeploymentDone(perObject(checks, (c) => str(c.expect.version))) }),
  shell: (c) => ({
    fn: { name: 'check_machine_deployment', body: SHELL },
    args: [c.namespace ?? '', c.name, c.expect.version],
    reads: [readOf(c)],
  }),
};
