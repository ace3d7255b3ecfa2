import { CheckKind, condition, fields, OBSERVED, perObject, sq, str } from './kind';

/**
 * A Cluster API Addon Provider Helm HelmChartProxy at the new chart version (CAAPH v0.4.x, the
 * CRDs in ../shared/crds; test/fixtures/timelines/helmchartproxy.yaml). The proxy's conditions
 * summarise its HelmReleaseProxies from a cached list, so right after a version change it can be
 * Ready at the new generation before Helm ran: the CEL on the proxy is necessary, not enough. The
 * exact check reads, in one call, the proxy and its HelmReleaseProxies (generated names: found by
 * the label `helmreleaseproxy.addons.cluster.x-k8s.io/helmchartproxy-name`): one per matching
 * cluster, each at the version, observed, deployed and Ready. CAAPH never retries a failed Helm
 * upgrade, so a release proxy `failed` at the new version has failed.
 */

const HCP_LABEL = 'helmreleaseproxy\\.addons\\.cluster\\.x-k8s\\.io/helmchartproxy-name';

const LINE = fields([
  '.kind', '.metadata.name', '.metadata.generation', '.status.observedGeneration', '.spec.version',
  '.status.conditions[?(@.type=="HelmReleaseProxySpecsUpToDate")].status', '.status.conditions[?(@.type=="HelmReleaseProxySpecsUpToDate")].severity',
  'range .status.matchingClusters[*]}{.namespace}/{.name} {end', `.metadata.labels.${HCP_LABEL}`,
  '.spec.clusterRef.namespace', '.spec.clusterRef.name', '.status.status', '.status.conditions[?(@.type=="HelmReleaseReady")].status',
  '.status.conditions[?(@.type=="HelmReleaseReady")].reason', '.status.conditions[?(@.type=="Ready")].status', '.metadata.deletionTimestamp',
]);

const SHELL = `# check_helm_chart_proxy <namespace> <name> <chart version>: the proxy, then its HelmReleaseProxies (kubectl lists them in that order)
check_helm_chart_proxy() {
  hp_out=$(kubectl get helmchartproxies.addons.cluster.x-k8s.io,helmreleaseproxies.addons.cluster.x-k8s.io -n "$1" \\
    -o ${sq(`jsonpath={range .items[*]}${LINE}{"\\n"}{end}`)} 2>&1) || { echo "waiting: $hp_out"; return; }
  hp_state="waiting: HelmChartProxy $2 not found"; clusters=; nclusters=0; proxies=; hp_fail=; hp_wait=
  while IFS='|' read -r kind name gen og ver upd sev matching owner cns cname rstatus hrr hrreason rdy deleting _; do
    case "$kind" in
      HelmChartProxy)
        [ "$name" = "$2" ] || continue
        clusters=$matching; nclusters=$(( $(echo $matching | wc -w) ))
        if [ "$ver" != "$3" ]; then hp_state="waiting: spec.version is $ver, not $3"
        elif [ -z "$gen" ] || [ "$gen" != "$og" ]; then hp_state="waiting: generation $gen not observed yet"
        elif [ "$upd" = False ] && [ "$sev" = Error ]; then hp_state="failed: HelmReleaseProxySpecsUpToDate is False"
        elif [ "$nclusters" = 0 ]; then hp_state="waiting: it matches no cluster"
        else hp_state=done; fi ;;
      HelmReleaseProxy)
        [ "$owner" = "$2" ] && [ -z "$deleting" ] || continue
        case " $clusters " in *" $cns/$cname "*) ;; *) continue ;; esac
        case " $proxies " in *" $cns/$cname "*) hp_wait="waiting: two HelmReleaseProxies for $cns/$cname"; continue ;; esac
        proxies="$proxies $cns/$cname"
        if [ "$ver" = "$3" ] && [ -n "$gen" ] && [ "$gen" = "$og" ] \\
          && { [ "$rstatus" = failed ] || { [ "$hrr" = False ] && [ "$hrreason" = HelmInstallOrUpgradeFailed ]; }; }; then
          hp_fail="failed: HelmReleaseProxy $name for $cns/$cname: Helm release \${rstatus:-} \${hrreason:-}"
        elif [ "$ver" != "$3" ] || [ -z "$gen" ] || [ "$gen" != "$og" ] || [ "$rstatus" != deployed ] || [ "$hrr" != True ] || [ "$rdy" != True ]; then
          hp_wait="waiting: HelmReleaseProxy $name for $cns/$cname: version $ver, Helm release \${rstatus:-none}, HelmReleaseReady \${hrr:-unset}"
        fi ;;
    esac
  done <<HCP
$hp_out
HCP
  if [ "$hp_state" != done ]; then echo "$hp_state"; return; fi
  if [ -n "$hp_fail" ]; then echo "$hp_fail"; return; fi
  if [ -n "$hp_wait" ]; then echo "$hp_wait"; return; fi
  nproxies=$(( $(echo $proxies | wc -w) ))
  if [ "$nproxies" != "$nclusters" ]; then echo "waiting: $nproxies HelmReleaseProxies for $nclusters matching clusters"; return; fi
  echo done
}`;

export const HELM_CHART_PROXY: CheckKind<'helm-chart-proxy'> = {
  describe: (c) => `at chart ${c.expect.version}: one HelmReleaseProxy per matching cluster, each deployed at that version and Ready`,
  kstatus: false,
  celExact: false,
  detectsFailure: true,
  cel: (checks) => ({
    current: `${OBSERVED} && spec.version == ${perObject(checks, (c) => str(c.expect.version))}`
      + ' && has(status.matchingClusters) && size(status.matchingClusters) == 1'
      + ` && ${condition('Ready', 'True')}`
      + " && status.conditions.exists(c, c.type == 'HelmReleaseProxySpecsUpToDate' && c.status == 'True')"
      + " && status.conditions.exists(c, c.type == 'HelmReleaseProxiesReady' && c.status == 'True')",
    failed: "has(status.conditions) && status.conditions.exists(c, c.type == 'HelmReleaseProxySpecsUpToDate' && c.status == 'False'"
      + " && has(c.severity) && c.severity == 'Error')",
  }),
  shell: (c) => ({
    fn: { name: 'check_helm_chart_proxy', body: SHELL },
    args: [c.namespace ?? '', c.name, c.expect.version],
    reads: [
      { group: 'addons.cluster.x-k8s.io', resource: 'helmchartproxies', namespace: c.namespace },
      { group: 'addons.cluster.x-k8s.io', resource: 'helmreleaseproxies', namespace: c.namespace },
    ],
  }),
};
