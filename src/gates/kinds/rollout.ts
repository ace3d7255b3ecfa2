import { CheckKind, CheckOf, condition, count, fields, OBJECT_KEY, OBSERVED, readOf, resourceOf, sq, str } from './kind';
import { byKey } from '../../input/compare';

/**
 * A Deployment, DaemonSet or StatefulSet fully rolled out at the expected images: what kstatus
 * calls Current (fluxcd/cli-utils pkg/kstatus/status/core.go: the controller observed the spec,
 * every replica updated, available and ready, no old replica left), plus the images, because a
 * workload still running the old image, or scaled to nothing, is Current too
 * (test/fixtures/timelines/deployment-rollout.yaml, daemonset-rollout.yaml, statefulset-rollout.yaml).
 * Images match exactly (what dkp-fleet applied), or by tag (a manager installed by the DKP CLI,
 * possibly from a mirror registry). A Deployment whose new ReplicaSet missed its progress
 * deadline has failed; the others wait for the layer's timeout.
 */

/** CEL: every expected container of the object runs its image. */
function imagesMatch(checks: readonly CheckOf<'rollout'>[]): string {
  const containers = (c: CheckOf<'rollout'>) => `[${c.expect.containers.map((x) => `[${str(x.name)}, ${str(x.match)}, ${str(x.image)}]`).join(', ')}]`;
  const entries = checks.map((c) => [`${c.namespace ?? ''}/${c.name}`, containers(c)] as const)
    .sort(byKey(([k]) => k));
  const map = `{${entries.map(([k, v]) => `${str(k)}: ${v}`).join(', ')}}`;
  return `${map}[${OBJECT_KEY}].all(p, spec.template.spec.containers.exists(c, c.name == p[0]`
    + " && (p[1] == 'tag' ? c.image.endsWith(':' + p[2]) : c.image == p[2])))";
}

const DESIRED = '(has(spec.replicas) ? spec.replicas : 1)';

const DONE: Record<string, string> = {
  Deployment: `${count('replicas')} == ${DESIRED} && ${count('updatedReplicas')} == ${DESIRED} && ${count('readyReplicas')} == ${DESIRED}`
    + ` && ${count('availableReplicas')} == ${DESIRED} && ${count('unavailableReplicas')} == 0 && ${condition('Available', 'True')}`
    + " && status.conditions.exists(c, c.type == 'Progressing' && c.status == 'True' && c.reason == 'NewReplicaSetAvailable')",
  DaemonSet: `${count('currentNumberScheduled')} == ${count('desiredNumberScheduled')}`
    + ` && ${count('updatedNumberScheduled')} == ${count('desiredNumberScheduled')}`
    + ` && ${count('numberAvailable')} == ${count('desiredNumberScheduled')} && ${count('numberReady')} == ${count('desiredNumberScheduled')}`
    + ` && ${count('numberUnavailable')} == 0`,
  StatefulSet: `${count('replicas')} == ${DESIRED} && ${count('updatedReplicas')} == ${DESIRED} && ${count('readyReplicas')} == ${DESIRED}`
    + ' && has(status.currentRevision) && has(status.updateRevision) && status.currentRevision == status.updateRevision',
};

const READ = fields([
  '.kind', '.metadata.generation', '.status.observedGeneration', '.spec.replicas', '.status.replicas', '.status.updatedReplicas',
  '.status.readyReplicas', '.status.availableReplicas', '.status.unavailableReplicas', '.status.desiredNumberScheduled',
  '.status.currentNumberScheduled', '.status.updatedNumberScheduled', '.status.numberAvailable', '.status.numberReady',
  '.status.numberUnavailable', '.status.currentRevision', '.status.updateRevision', '.status.conditions[?(@.type=="Available")].status',
  '.status.conditions[?(@.type=="Progressing")].status', '.status.conditions[?(@.type=="Progressing")].reason',
  // every container as name=image, space-separated (fields() wraps this in braces: a range of its own)
  'range .spec.template.spec.containers[*]}{.name}={.image} {end',
]);

const SHELL = `# check_rollout <namespace> <resource> <name> [<container> <exact|tag> <image or tag>]...
check_rollout() {
  ro_out=$(kubectl get "$2" "$3" -n "$1" -o ${sq(`jsonpath=${READ}`)} 2>&1) || { echo "waiting: $ro_out"; return; }
  IFS='|' read -r kind gen og sr r ur rr ar uar dns cns uns nav nrd nun crev urev avl prg prgr images _ <<RO
$ro_out
RO
  shift 3
  mismatch=
  while [ $# -ge 3 ]; do
    running=
    for ci in $images; do
      if [ "\${ci%%=*}" = "$1" ]; then running=\${ci#*=}; fi
    done
    case "$2:$running" in
      tag:*":$3") ;;
      exact:"$3") ;;
      *) mismatch="container $1 runs \${running:-nothing}, want $3" ;;
    esac
    shift 3
  done
  if [ -z "$gen" ] || [ "$gen" != "$og" ]; then echo "waiting: generation $gen not observed yet (\${og:-none})"; return; fi
  if [ -n "$mismatch" ]; then echo "waiting: $mismatch"; return; fi
  case "$kind" in
    Deployment)
      if [ "$prg" = False ] && [ "$prgr" = ProgressDeadlineExceeded ]; then echo "failed: ProgressDeadlineExceeded"; return; fi
      want=\${sr:-1}
      if [ "\${r:-0}" != "$want" ] || [ "\${ur:-0}" != "$want" ] || [ "\${rr:-0}" != "$want" ] || [ "\${ar:-0}" != "$want" ] || [ "\${uar:-0}" != 0 ] \\
        || [ "$avl" != True ] || [ "$prg" != True ] || [ "$prgr" != NewReplicaSetAvailable ]; then
        echo "waiting: \${r:-0} replicas, \${ur:-0} updated, \${rr:-0} ready, \${ar:-0} available of $want (Progressing \${prgr:-unset})"; return
      fi ;;
    DaemonSet)
      want=\${dns:-0}
      if [ "\${cns:-0}" != "$want" ] || [ "\${uns:-0}" != "$want" ] || [ "\${nav:-0}" != "$want" ] || [ "\${nrd:-0}" != "$want" ] || [ "\${nun:-0}" != 0 ]; then
        echo "waiting: \${uns:-0} updated, \${nav:-0} available, \${nrd:-0} ready of $want scheduled"; return
      fi ;;
    StatefulSet)
      want=\${sr:-1}
      if [ "\${r:-0}" != "$want" ] || [ "\${ur:-0}" != "$want" ] || [ "\${rr:-0}" != "$want" ] || [ -z "$urev" ] || [ "$crev" != "$urev" ]; then
        echo "waiting: \${ur:-0} updated, \${rr:-0} ready of $want, revision \${crev:-none} -> \${urev:-none}"; return
      fi ;;
    *) echo "waiting: unexpected kind $kind"; return ;;
  esac
  echo done
}`;

export const ROLLOUT: CheckKind<'rollout'> = {
  describe: (c) => 'rolled out: every replica updated and available, running '
    + c.expect.containers.map((x) => `${x.name} ${x.match === 'tag' ? `at tag ${x.image}` : x.image}`).join(', '),
  kstatus: false,
  celExact: true,
  detectsFailure: true,
  cel: (checks) => {
    const kind = checks[0].kind;
    const done = DONE[kind];
    if (done === undefined) throw new Error(`internal: no rollout check for kind ${kind}`);
    const images = imagesMatch(checks);
    return {
      current: `${OBSERVED} && ${images} && ${done}`,
      ...(kind === 'Deployment'
        ? {
          failed: `${images} && has(status.conditions)`
            + " && status.conditions.exists(c, c.type == 'Progressing' && c.status == 'False' && c.reason == 'ProgressDeadlineExceeded')",
        }
        : {}),
    };
  },
  shell: (c) => ({
    fn: { name: 'check_rollout', body: SHELL },
    args: [c.namespace ?? '', resourceOf(c).qualified, c.name, ...c.expect.containers.flatMap((x) => [x.name, x.match, x.image])],
    reads: [readOf(c)],
  }),
};
