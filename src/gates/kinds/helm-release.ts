import { CheckKind, condition, fields, OBJECT_KEY, readOf, sq, str, strList } from './kind';
import { byKey } from '../../input/compare';

/**
 * A HelmRelease Kommander renders: upgraded when its controller observed the current spec, it is
 * Ready, not reconciling, and the release it last deployed is the new chart version. The same
 * check reads every shape a workspace cluster may serve while its Kommander Flux moves
 * (test/fixtures/timelines/helmrelease-*.yaml):
 * - helm.toolkit.fluxcd.io/v2beta1 (helm-controller v0.13-v0.26, DKP 2.1-2.4): `status.lastAppliedRevision`;
 *   `observedGeneration` is written when a reconcile starts, so only the version proves the upgrade;
 * - v2beta2 and v2 (v0.37 on; v1.x serves v2, which has no `lastAppliedRevision`): `status.history[0]`
 *   with `status` deployed and its `chartVersion`; `Stalled` marks a terminal failure.
 * A chart version matches as written, with or without a leading `v`, and with the build metadata
 * (`+...`) source-controller adds for some sources.
 */

/** Versions a HelmRelease's status may show for a chart version. */
function spellings(chartVersion: string): string[] {
  const bare = chartVersion.replace(/^v/, '');
  return [bare, `v${bare}`];
}

const matches = (field: string, want: string) => `${want}.exists(w, ${field} == w || ${field}.startsWith(w + '+'))`;

const READ = fields([
  '.metadata.generation', '.status.observedGeneration', '.status.conditions[?(@.type=="Ready")].status',
  '.status.conditions[?(@.type=="Ready")].reason', '.status.conditions[?(@.type=="Reconciling")].status',
  '.status.conditions[?(@.type=="Stalled")].status', '.status.history[0].chartVersion', '.status.history[0].status',
  '.status.lastAppliedRevision', '.status.lastAttemptedRevision', '.status.lastAttemptedGeneration', '.status.upgradeFailures',
  '.status.installFailures', '.spec.upgrade.remediation.retries', '.spec.install.remediation.retries',
]);

const SHELL = `# check_helm_release <namespace> <name> <chart version, empty when unknown>
check_helm_release() {
  hr_out=$(kubectl get helmreleases.helm.toolkit.fluxcd.io "$2" -n "$1" -o ${sq(`jsonpath=${READ}`)} 2>&1) || { echo "waiting: $hr_out"; return; }
  IFS='|' read -r gen og rdy rsn rec stl hver hst lar latt lag uf inf ur ir _ <<HR
$hr_out
HR
  if [ "$gen" != "$og" ]; then echo "waiting: generation $gen not observed yet"; return; fi
  if [ "$stl" = True ]; then echo "failed: Stalled (Ready $rsn)"; return; fi
  if [ "$rdy" = True ] && [ "$rec" != True ]; then
    if [ -z "$3" ]; then echo done; return; fi
    if [ -n "$hver" ]; then
      if [ "$hst" = deployed ] && chart_is "$hver" "$3"; then echo done; return; fi
      echo "waiting: last release is chart $hver ($hst), want $3"; return
    fi
    if chart_is "$lar" "$3"; then echo done; return; fi
    echo "waiting: applied chart \${lar:-none}, want $3"; return
  fi
  if [ "$rdy" = False ] && [ -z "$lag" ] && [ -n "$3" ] && chart_is "$latt" "$3"; then
    case "$rsn" in
      RollbackFailed|UninstallFailed) echo "failed: $rsn at chart $latt"; return ;;
      UpgradeFailed) if retries_exhausted "$uf" "$ur"; then echo "failed: UpgradeFailed at chart $latt, retries exhausted"; return; fi ;;
      InstallFailed) if retries_exhausted "$inf" "$ir"; then echo "failed: InstallFailed at chart $latt, retries exhausted"; return; fi ;;
    esac
  fi
  echo "waiting: Ready \${rdy:-unset} \${rsn:-}"
}
# chart_is <version seen> <version wanted>: the same, with or without a leading v and +build metadata
chart_is() {
  w=\${2#v}
  case "$1" in "$w"|"v$w"|"$w+"*|"v$w+"*) return 0 ;; esac
  return 1
}
# retries_exhausted <failures> <retries>: more failures than retries (none set: 0; negative: unlimited)
retries_exhausted() {
  [ "\${2:-0}" -ge 0 ] && [ "\${1:-0}" -gt "\${2:-0}" ]
}`;

function retriesExhausted(action: 'upgrade' | 'install', failures: string): string {
  const retries = `spec.${action}.remediation.retries`;
  return `(has(status.${failures}) && ((has(spec.${action}) && has(spec.${action}.remediation) && has(${retries}))`
    + ` ? (${retries} >= 0 && status.${failures} > ${retries}) : status.${failures} > 0))`;
}

export const HELM_RELEASE: CheckKind<'helm-release'> = {
  describe: (c) => (c.expect.chartVersion ? `Ready at chart ${c.expect.chartVersion}` : 'Ready (chart version unknown)'),
  kstatus: false,
  celExact: true,
  detectsFailure: true,
  exactFor: (c) => c.expect.chartVersion !== undefined,
  cel: (checks) => {
    // One map for the layer: namespace/name -> accepted spellings. A HelmRelease outside it (chart version unknown) passes on Ready.
    const entries = checks.filter((c) => c.expect.chartVersion !== undefined)
      .map((c) => [`${c.namespace ?? ''}/${c.name}`, strList(spellings(c.expect.chartVersion!))] as const)
      .sort(byKey(([k]) => k));
    const T = `{${entries.map(([k, v]) => `${str(k)}: ${v}`).join(', ')}}`;
    const want = `${T}[${OBJECT_KEY}]`;
    const inT = `(${OBJECT_KEY}) in ${T}`;
    return {
      current: 'has(status.observedGeneration) && status.observedGeneration == metadata.generation'
        + ` && ${condition('Ready', 'True')}`
        + " && !status.conditions.exists(c, c.type == 'Reconciling' && c.status == 'True')"
        + ` && (!(${inT}) || ((has(status.history) && size(status.history) > 0)`
        + ` ? (status.history[0].status == 'deployed' && ${matches('status.history[0].chartVersion', want)})`
        + ` : (has(status.lastAppliedRevision) && ${matches('status.lastAppliedRevision', want)})))`,
      failed: 'has(status.conditions) && ('
        + "status.conditions.exists(c, c.type == 'Stalled' && c.status == 'True')"
        + ` || (!has(status.lastAttemptedGeneration) && has(status.lastAttemptedRevision) && ${inT}`
        + ` && ${matches('status.lastAttemptedRevision', want)}`
        + " && status.conditions.exists(c, c.type == 'Ready' && c.status == 'False' && (c.reason in ['RollbackFailed', 'UninstallFailed']"
        + ` || (c.reason == 'UpgradeFailed' && ${retriesExhausted('upgrade', 'upgradeFailures')})`
        + ` || (c.reason == 'InstallFailed' && ${retriesExhausted('install', 'installFailures')})))))`,
    };
  },
  shell: (c) => ({
    fn: { name: 'check_helm_release', body: SHELL },
    args: [c.namespace ?? '', c.name, c.expect.chartVersion ?? ''],
    reads: [readOf(c)],
  }),
};
