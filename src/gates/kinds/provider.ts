import { CheckKind, condition, fields, OBSERVED, perObject, readOf, resourceOf, sq, str, strList } from './kind';

/**
 * cluster-api-operator providers (v0.23.x; test/fixtures/timelines/provider-v1alpha2*.yaml). The
 * operator writes `installedVersion` and its conditions once per reconcile, right after applying
 * the manifests and before any new manager pod runs; `ProviderInstalled` stays True from the first
 * install on; Ready copies the manager Deployment's Available, which a Deployment with no pod or
 * the old pod also reports. So the provider check proves the operator installed the version, and
 * the layer pairs it with a rollout check of the manager Deployment at the release's image.
 * Upgrade errors leave `observedGeneration` behind: they show as a wait, except a failed preflight.
 */

const READ = fields([
  '.metadata.generation', '.status.observedGeneration', '.spec.version', '.status.installedVersion',
  '.status.conditions[?(@.type=="Ready")].status', '.status.conditions[?(@.type=="PreflightCheckPassed")].status',
  '.status.conditions[?(@.type=="PreflightCheckPassed")].severity', '.status.conditions[?(@.type=="ProviderInstalled")].status',
  '.status.conditions[?(@.type=="ProviderUpgraded")].status', '.status.conditions[?(@.type=="ProviderUpgraded")].message',
]);

const SHELL = `# check_provider <namespace> <resource> <name> <version>
check_provider() {
  pv_out=$(kubectl get "$2" "$3" -n "$1" -o ${sq(`jsonpath=${READ}`)} 2>&1) || { echo "waiting: $pv_out"; return; }
  IFS='|' read -r gen og sv iv rdy pre presev inst upg upgmsg _ <<PV
$pv_out
PV
  if [ "$pre" = False ] && [ "$presev" = Error ]; then echo "failed: PreflightCheckPassed is False"; return; fi
  if [ -z "$gen" ] || [ "$gen" != "$og" ]; then echo "waiting: generation $gen not observed yet\${upgmsg:+ ($upgmsg)}"; return; fi
  if [ "$sv" != "$4" ] || [ "$iv" != "$4" ]; then echo "waiting: installed \${iv:-nothing}, spec $sv, want $4"; return; fi
  if [ "$rdy" != True ] || [ "$pre" != True ] || [ "$inst" != True ] || [ "$upg" = False ]; then
    echo "waiting: Ready \${rdy:-unset}, PreflightCheckPassed \${pre:-unset}, ProviderInstalled \${inst:-unset}, ProviderUpgraded \${upg:-unset}"; return
  fi
  echo done
}`;

const INSTALLED_SHELL = `# check_provider_installed <namespace> <resource> <name> <version>...: the provider is installed at one of the versions
check_provider_installed() {
  pi_out=$(kubectl get "$2" "$3" -n "$1" -o 'jsonpath={.status.installedVersion}' 2>&1) || { echo "waiting: $pi_out"; return; }
  shift 3
  if [ $# -eq 0 ] && [ -n "$pi_out" ]; then echo done; return; fi
  for v in "$@"; do
    if [ "$pi_out" = "$v" ]; then echo done; return; fi
  done
  echo "waiting: installed \${pi_out:-nothing}, want \${*:-any version}"
}`;

export const PROVIDER: CheckKind<'provider'> = {
  describe: (c) => `installed at ${c.expect.version} by the operator: generation observed, Ready, preflight passed, not failing an upgrade`,
  kstatus: false,
  celExact: true,
  detectsFailure: true,
  cel: (checks) => ({
    current: `${OBSERVED} && spec.version == ${perObject(checks, (c) => str(c.expect.version))}`
      + ' && has(status.installedVersion) && status.installedVersion == spec.version'
      + ` && ${condition('Ready', 'True')}`
      + " && status.conditions.exists(c, c.type == 'PreflightCheckPassed' && c.status == 'True')"
      + " && status.conditions.exists(c, c.type == 'ProviderInstalled' && c.status == 'True')"
      + " && !status.conditions.exists(c, c.type == 'ProviderUpgraded' && c.status == 'False')",
    failed: "has(status.conditions) && status.conditions.exists(c, c.type == 'PreflightCheckPassed' && c.status == 'False'"
      + " && has(c.severity) && c.severity == 'Error')",
  }),
  shell: (c) => ({
    fn: { name: 'check_provider', body: SHELL },
    args: [c.namespace ?? '', resourceOf(c).qualified, c.name, c.expect.version],
    reads: [readOf(c)],
  }),
};

export const PROVIDER_INSTALLED: CheckKind<'provider-installed'> = {
  describe: (c) => `managed by cluster-api-operator, installed at ${c.expect.versions.length > 0 ? c.expect.versions.join(' or ')
    : 'some version (the current release does not record which)'}`,
  kstatus: false,
  celExact: true,
  detectsFailure: false,
  cel: (checks) => ({
    // no versions: the current release does not record the provider's; any installed version proves the operator manages it
    current: `has(status.installedVersion) && (size(${perObject(checks, (c) => strList(c.expect.versions))}) == 0 ? status.installedVersion != '' `
      + `: status.installedVersion in ${perObject(checks, (c) => strList(c.expect.versions))})`,
  }),
  shell: (c) => ({
    fn: { name: 'check_provider_installed', body: INSTALLED_SHELL },
    args: [c.namespace ?? '', resourceOf(c).qualified, c.name, ...c.expect.versions],
    reads: [readOf(c)],
  }),
};
