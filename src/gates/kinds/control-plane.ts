import { CheckKind, condition, count, fields, OBSERVED, perObject, readOf, sq, str } from './kind';

/**
 * A KubeadmControlPlane at the new version: Cluster API v0.4.4 (DKP 2.1, v1alpha4) and v1.1.3
 * (DKP 2.2's fork has the same controller) write `status.version` as the lowest version among
 * machines whose API server is healthy, so it turns new while the last old machine is still being
 * deleted; `readyReplicas` counts old and new nodes alike; v1alpha4 omits zero counters
 * (test/fixtures/timelines/kcp-*.yaml). Done is: the generation observed, spec and status at the
 * version, exactly `spec.replicas` machines (no surge, no machine being deleted), all updated and
 * ready, none unavailable, and Ready. No status marks a terminal failure: a stuck rollout waits
 * for the layer's timeout.
 */

const READ = fields([
  '.metadata.generation', '.status.observedGeneration', '.spec.version', '.status.version', '.spec.replicas', '.status.replicas',
  '.status.updatedReplicas', '.status.readyReplicas', '.status.unavailableReplicas', '.status.conditions[?(@.type=="Ready")].status',
]);

/** The shell test of a control plane's fields, shared with the topology check. */
export const CONTROL_PLANE_DONE = `# control_plane_state <generation> <observed> <spec.version> <status.version>
#   <spec.replicas> <replicas> <updated> <ready> <unavailable> <Ready> <version>
control_plane_state() {
  if [ -z "$1" ] || [ "$1" != "$2" ]; then echo "waiting: generation $1 not observed yet (\${2:-none})"; return; fi
  if [ "$3" != "\${11}" ]; then echo "waiting: spec.version is $3, not \${11}"; return; fi
  if [ "$4" != "\${11}" ]; then echo "waiting: status.version is \${4:-unset}"; return; fi
  if [ "\${6:-0}" != "$5" ] || [ "\${7:-0}" != "$5" ] || [ "\${8:-0}" != "$5" ] || [ "\${9:-0}" != 0 ]; then
    echo "waiting: \${6:-0} machines, \${7:-0} updated, \${8:-0} ready, \${9:-0} unavailable; want $5"; return
  fi
  if [ "\${10}" != True ]; then echo "waiting: Ready is \${10:-unset}"; return; fi
  echo done
}`;

const RESOURCE = 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io';
const SHELL = `${CONTROL_PLANE_DONE}
# check_control_plane <namespace> <name> <version>
check_control_plane() {
  cp_out=$(kubectl get ${RESOURCE} "$2" -n "$1" -o ${sq(`jsonpath=${READ}`)} 2>&1) || { echo "waiting: $cp_out"; return; }
  IFS='|' read -r gen og sv stv sr r ur rr uar rdy _ <<CP
$cp_out
CP
  control_plane_state "$gen" "$og" "$sv" "$stv" "$sr" "$r" "$ur" "$rr" "$uar" "$rdy" "$3"
}`;

export const CONTROL_PLANE: CheckKind<'control-plane'> = {
  describe: (c) => `at ${c.expect.version}: exactly spec.replicas machines, every one updated and ready, none unavailable, Ready`,
  kstatus: false,
  celExact: true,
  detectsFailure: false,
  cel: (checks) => {
    const version = perObject(checks, (c) => str(c.expect.version));
    return {
      current: `${OBSERVED} && spec.version == ${version} && has(status.version) && status.version == spec.version`
        + ` && ${count('replicas')} == spec.replicas && ${count('updatedReplicas')} == spec.replicas`
        + ` && ${count('readyReplicas')} == spec.replicas && ${count('unavailableReplicas')} == 0 && ${condition('Ready', 'True')}`,
    };
  },
  shell: (c) => ({
    fn: { name: 'check_control_plane', body: SHELL },
    args: [c.namespace ?? '', c.name, c.expect.version],
    reads: [readOf(c)],
  }),
};
