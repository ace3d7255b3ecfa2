import { CONTROL_PLANE_DONE } from './control-plane';
import { CheckKind, condition, fields, OBSERVED, perObject, sq, str } from './kind';
import { MACHINE_DEPLOYMENT_DONE } from './machine-deployment';

/**
 * A ClusterClass cluster at the new version. In Cluster API v1.1.3 the topology controller hands
 * the version to the control plane, then to the MachineDeployments; `TopologyReconciled` turns True
 * as soon as the last MachineDeployment has *received* the version, while it still rolls, and
 * Cluster `Ready` sums only the control plane and infrastructure (test/fixtures/timelines/
 * topology-cluster-v1beta1.yaml). No status of the Cluster says the workers are done, so the CEL on
 * the Cluster is necessary but not enough; the exact check reads, in one call, the Cluster, its
 * control plane and every MachineDeployment the topology owns (generated names: found by the
 * `cluster.x-k8s.io/cluster-name` label, counted against `spec.topology.workers`).
 */

const LINE = fields([
  '.kind', '.metadata.name', '.metadata.generation', '.status.observedGeneration', '.spec.topology.version',
  '.spec.controlPlaneRef.name', '.spec.topology.workers.machineDeployments[*].name', '.status.conditions[?(@.type=="TopologyReconciled")].status',
  '.spec.version', '.status.version', '.spec.replicas', '.status.replicas', '.status.updatedReplicas', '.status.readyReplicas',
  '.status.unavailableReplicas', '.status.conditions[?(@.type=="Ready")].status', '.spec.template.spec.version', '.status.availableReplicas',
  '.metadata.labels.topology\\.cluster\\.x-k8s\\.io/deployment-name',
]);

const RESOURCES = 'clusters.cluster.x-k8s.io,kubeadmcontrolplanes.controlplane.cluster.x-k8s.io,machinedeployments.cluster.x-k8s.io';

const SHELL = `${CONTROL_PLANE_DONE}
${MACHINE_DEPLOYMENT_DONE}
# check_topology <namespace> <cluster> <version>: the Cluster, then its control plane, then its MachineDeployments (kubectl lists them in that order)
check_topology() {
  t_out=$(kubectl get ${RESOURCES} -n "$1" -l "cluster.x-k8s.io/cluster-name=$2" -o ${sq(`jsonpath={range .items[*]}${LINE}{"\\n"}{end}`)} 2>&1) \\
    || { echo "waiting: $t_out"; return; }
  c_state="waiting: Cluster $2 not found"; cp=; want_mds=0; cp_state=; mds=0; mds_done=0; md_wait=
  while IFS='|' read -r kind name gen og tv cpref mdn trec sv stv sr r ur rr uar rdy mtv ar dn _; do
    case "$kind" in
      Cluster)
        [ "$name" = "$2" ] || continue
        cp=$cpref
        want_mds=$(( $(echo $mdn | wc -w) ))
        if [ -z "$gen" ] || [ "$gen" != "$og" ]; then c_state="waiting: Cluster generation $gen not observed yet"
        elif [ "$tv" != "$3" ]; then c_state="waiting: Cluster topology version is $tv, not $3"
        elif [ "$trec" != True ]; then c_state="waiting: Cluster TopologyReconciled is \${trec:-unset}"
        else c_state=done; fi ;;
      KubeadmControlPlane)
        [ -n "$cp" ] && [ "$name" = "$cp" ] || continue
        cp_state=$(control_plane_state "$gen" "$og" "$sv" "$stv" "$sr" "$r" "$ur" "$rr" "$uar" "$rdy" "$3") ;;
      MachineDeployment)
        [ -n "$dn" ] || continue
        mds=$((mds + 1))
        md_state=$(machine_deployment_state "$gen" "$og" "$mtv" "$sr" "$r" "$ur" "$rr" "$ar" "$uar" "$3")
        if [ "$md_state" = done ]; then mds_done=$((mds_done + 1)); else md_wait="waiting: MachineDeployment $name: \${md_state#waiting: }"; fi ;;
    esac
  done <<TOPOLOGY
$t_out
TOPOLOGY
  if [ "$c_state" != done ]; then echo "$c_state"; return; fi
  if [ "$cp_state" != done ]; then echo "waiting: KubeadmControlPlane \${cp:-?}: \${cp_state:-not found}"; return; fi
  if [ "$mds" != "$want_mds" ]; then echo "waiting: $mds MachineDeployments of the topology found, it has $want_mds"; return; fi
  if [ "$mds_done" != "$mds" ]; then echo "$md_wait"; return; fi
  echo done
}`;

export const TOPOLOGY: CheckKind<'topology'> = {
  describe: (c) => `topology at ${c.expect.version}: TopologyReconciled, its control plane and every MachineDeployment of the topology rolled out`,
  kstatus: false,
  celExact: false,
  detectsFailure: false,
  cel: (checks) => ({
    current: `${OBSERVED} && has(spec.topology) && spec.topology.version == ${perObject(checks, (c) => str(c.expect.version))}`
      + ` && ${condition('TopologyReconciled', 'True')} && ${condition('Ready', 'True')}`,
  }),
  shell: (c) => ({
    fn: { name: 'check_topology', body: SHELL },
    args: [c.namespace ?? '', c.name, c.expect.version],
    reads: [
      { group: 'cluster.x-k8s.io', resource: 'clusters', namespace: c.namespace },
      { group: 'controlplane.cluster.x-k8s.io', resource: 'kubeadmcontrolplanes', namespace: c.namespace },
      { group: 'cluster.x-k8s.io', resource: 'machinedeployments', namespace: c.namespace },
    ],
  }),
};
