import { POLL_SECONDS } from './gate-script';
import { Read, sq } from './kinds/kind';
import { SourceRef } from '../fleet/fleet';
import { byKey } from '../input/compare';
import { durationMillis } from '../input/formats';
import { ClusterChain, KustomizationRef, RolloutGate } from '../planner/layer';

/**
 * The Jobs of the rollout controls (README, "Rollout controls"). They read the layers' Flux
 * Kustomizations where Flux runs, and the source's revision: a layer counts only at the revision
 * Flux has now (a Ready left from the previous commit is not "finished": replacing dependsOn
 * edges drops Flux's own revision lock, so the Job compares revisions itself). What they read of
 * a Kustomization is Flux's status (kustomize-controller v1: ../research Flux notes §4):
 * `Ready=False` with a reason other than `DependencyNotReady` (HealthCheckFailed after a timeout
 * or a failed gate, ReconciliationFailed, BuildFailed...) or `Stalled=True` is a failure;
 * `Ready=Unknown` is a reconcile in progress, which every interval goes through.
 */

const KUSTOMIZATIONS = 'kustomizations.kustomize.toolkit.fluxcd.io';

const SOURCE_RESOURCES: Record<SourceRef['kind'], string> = {
  GitRepository: 'gitrepositories',
  OCIRepository: 'ocirepositories',
  Bucket: 'buckets',
};

const KS_READ = 'jsonpath={.status.lastAppliedRevision}|{.status.lastAttemptedRevision}|{.status.conditions[?(@.type=="Ready")].status}'
  + '|{.status.conditions[?(@.type=="Ready")].reason}|{.status.conditions[?(@.type=="Stalled")].status}|{.status.conditions[?(@.type=="Ready")].message}';

/** Shell functions both Jobs use: the source's revision, and one Kustomization's state at it. */
function common(source: SourceRef): string {
  return `# revision: the revision of the source the layers apply, now
revision() {
  kubectl get ${SOURCE_RESOURCES[source.kind]}.source.toolkit.fluxcd.io ${sq(source.name)} -n ${sq(source.namespace)} \\
    -o 'jsonpath={.status.artifact.revision}' 2>/dev/null
}
# ks_state <namespace> <name> <revision>: prints ready, failed: <why>, or waiting: <why>
ks_state() {
  ks_out=$(kubectl get ${KUSTOMIZATIONS} "$2" -n "$1" -o ${sq(KS_READ)} 2>&1) || { echo "waiting: $ks_out"; return; }
  IFS='|' read -r applied attempted ready reason stalled message <<KS
$ks_out
KS
  if [ "$attempted" = "$3" ] && { [ "$stalled" = True ] || { [ "$ready" = False ] && [ "$reason" != DependencyNotReady ]; }; }; then
    echo "failed: $1/$2: \${reason:-Stalled}: $message"; return
  fi
  if [ "$ready" = True ] && [ "$applied" = "$3" ]; then echo ready; return; fi
  if [ "$ready" = True ]; then echo "waiting: $1/$2 is Ready at \${applied:-nothing}, not yet at $3"; return; fi
  echo "waiting: $1/$2 is \${ready:-not reconciled}\${reason:+ ($reason)}"
}`;
}

const args = (refs: readonly KustomizationRef[]) => refs.flatMap((r) => [r.namespace, r.name]).map(sq).join(' ');

/** One shell function call per cluster: its last layer first, then every layer it watches. */
function clusterCalls(clusters: readonly ClusterChain[], fn: string): string[] {
  return clusters.map((c, i) => `name_${i + 1}=${sq(c.cluster)}; run_${i + 1}() { ${fn} "$rev" ${args([c.last, ...c.layers])}; }`);
}

/** What both Jobs read: the source, and each watched Kustomization by name. */
export function rolloutReads(gate: RolloutGate, source: SourceRef): Read[] {
  const refs = gate.clusters.flatMap((c) => [c.last, ...c.layers]);
  const byNamespace = new Map<string, Set<string>>();
  for (const r of refs) byNamespace.set(r.namespace, (byNamespace.get(r.namespace) ?? new Set()).add(r.name));
  return [
    { group: 'source.toolkit.fluxcd.io', resource: SOURCE_RESOURCES[source.kind], namespace: source.namespace, names: [source.name] },
    ...[...byNamespace.entries()].sort(byKey(([k]) => k))
      .map(([namespace, names]): Read => ({ group: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', namespace, names: [...names].sort() })),
  ];
}

/**
 * The failure budget of a wave: polls until each cluster finished (its last layer Ready at the
 * current revision) or failed (one of its layers failed at the current revision: a failure stays
 * counted while Flux retries the layer, unless the cluster then finishes), then exits 0 when at
 * most `maxFailures` failed; exits 1 as soon as more have failed.
 */
export function budgetScript(gate: Extract<RolloutGate, { type: 'budget' }>, source: SourceRef): string {
  return `${[
    `# dkp-fleet failure budget of wave ${gate.wave}: each cluster finished or failed, at most ${gate.maxFailures} failed.`,
    'set -u',
    `poll=${POLL_SECONDS}`,
    `max=${gate.maxFailures}`,
    common(source),
    '# cluster_state <revision> <last layer> <layer>...: finished, failed: <why>, or waiting: <why>',
    'cluster_state() {',
    '  cs_rev=$1; shift',
    '  cs_last=$(ks_state "$1" "$2" "$cs_rev")',
    '  if [ "$cs_last" = ready ]; then echo finished; return; fi',
    '  shift 2',
    '  while [ $# -ge 2 ]; do',
    '    cs=$(ks_state "$1" "$2" "$cs_rev")',
    '    case "$cs" in failed*) echo "$cs"; return ;; esac',
    '    shift 2',
    '  done',
    '  echo "$cs_last"',
    '}',
    '# the clusters: name_<n>, run_<n> prints their state',
    ...clusterCalls(gate.clusters, 'cluster_state'),
    `clusters='${gate.clusters.map((_, i) => i + 1).join(' ')}'`,
    'said=',
    'while :; do',
    '  rev=$(revision)',
    '  finished=0; failed=0; left=0; failures=; report=',
    '  # failures counted at an earlier revision do not count at a new one',
    '  if [ "$rev" != "${seen_rev:-}" ]; then for i in $clusters; do eval "failed_$i="; done; seen_rev=$rev; fi',
    '  if [ -n "$rev" ]; then',
    '    for i in $clusters; do',
    '      state=$(run_$i)',
    '      eval "name=\\$name_$i"',
    '      # a failure stays counted while Flux retries the layer (Ready=Unknown again), unless the cluster then finishes',
    '      case "$state" in failed*) eval "failed_$i=\\$state" ;; finished) ;; *) eval "state=\\${failed_$i:-\\$state}" ;; esac',
    '      case "$state" in',
    '        finished) finished=$((finished + 1)) ;;',
    '        failed*) failed=$((failed + 1)); failures="$failures $name"; report="$report\\n  $name: $state" ;;',
    '        *) left=$((left + 1)); report="$report\\n  $name: $state" ;;',
    '      esac',
    '    done',
    '  else',
    '    left=1; report="\\n  the source has no revision yet"',
    '  fi',
    '  if [ "$failed" -gt "$max" ]; then',
    `    printf 'failed: wave ${gate.wave}: %s clusters failed (%s), more than the budget of %s%b\\n' "$failed" "\${failures# }" "$max" "$report"`,
    '    exit 1',
    '  fi',
    '  if [ "$left" -eq 0 ]; then',
    `    printf 'wave ${gate.wave} at %s: %s finished, %s failed%s, within the budget of %s\\n' \\`,
    '      "$rev" "$finished" "$failed" "${failures:+ (${failures# })}" "$max"',
    '    exit 0',
    '  fi',
    '  if [ "$report" != "$said" ]; then',
    '    printf \'waiting at %s: %s finished, %s failed, %s running%b\\n\' "$rev" "$finished" "$failed" "$left" "$report"; said=$report',
    '  fi',
    '  sleep "$poll" || exit 2',
    'done',
  ].join('\n')}\n`;
}

/**
 * The soak of a wave: watches the layers of each cluster that finished (a cluster that failed
 * within the budget is left out, and said so) until the soak time has passed since the Job
 * started; exits 1 as soon as one of them fails. Its clock is the pod's: the Job has no retries,
 * so a soak that was interrupted (the pod evicted) fails and is run again by deleting the Job.
 */
export function soakScript(gate: Extract<RolloutGate, { type: 'soak' }>, source: SourceRef): string {
  const seconds = Math.round(durationMillis(gate.duration) / 1000);
  return `${[
    `# dkp-fleet soak of wave ${gate.wave}: its finished clusters stay healthy for ${gate.duration}.`,
    'set -u',
    `poll=${POLL_SECONDS}`,
    `soak=${seconds}`,
    common(source),
    '# cluster_health <revision> <last layer> <layer>...: healthy, or failed: <why>',
    'cluster_health() {',
    '  ch_rev=$1; shift 3',
    '  while [ $# -ge 2 ]; do',
    '    ch=$(ks_state "$1" "$2" "$ch_rev")',
    '    case "$ch" in failed*) echo "$ch"; return ;; esac',
    '    shift 2',
    '  done',
    '  echo healthy',
    '}',
    '# cluster_finished <revision> <last layer> ...: ready when the cluster finished',
    'cluster_finished() { ks_state "$2" "$3" "$1"; }',
    '# the clusters: name_<n>, run_<n> checks their health, done_<n> whether they finished',
    ...clusterCalls(gate.clusters, 'cluster_health'),
    ...gate.clusters.map((c, i) => `done_${i + 1}() { cluster_finished "$rev" ${args([c.last])}; }`),
    `all='${gate.clusters.map((_, i) => i + 1).join(' ')}'`,
    'start=$(date +%s)',
    'watched=',
    'while :; do',
    '  rev=$(revision)',
    '  if [ -z "$rev" ]; then echo "waiting: the source has no revision yet"; sleep "$poll" || exit 2; continue; fi',
    '  if [ -z "$watched" ]; then',
    '    for i in $all; do',
    '      eval "name=\\$name_$i"',
    '      if [ "$(done_$i)" = ready ]; then watched="$watched $i"; else echo "not watched: $name did not finish (failed within the wave\'s budget)"; fi',
    '    done',
    `    if [ -z "$watched" ]; then echo "failed: wave ${gate.wave} has no finished cluster to soak"; exit 1; fi`,
    '  fi',
    '  for i in $watched; do',
    '    state=$(run_$i)',
    `    eval "name=\\$name_$i"`,
    `    case "$state" in failed*) echo "failed: wave ${gate.wave} degraded during its soak: $name: \${state#failed: }"; exit 1 ;; esac`,
    '  done',
    '  now=$(date +%s)',
    `  if [ $((now - start)) -ge "$soak" ]; then echo "wave ${gate.wave} stayed healthy for ${gate.duration} at $rev"; exit 0; fi`,
    '  mins=$(( (soak - (now - start) + 59) / 60 ))',
    '  if [ "$mins" != "${said_mins:-}" ]; then echo "soaking: ${mins}m left"; said_mins=$mins; fi',
    '  sleep "$poll" || exit 2',
    'done',
  ].join('\n')}\n`;
}
