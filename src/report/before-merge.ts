import { workspaceClusters } from '../fleet/fleet';
import { GatePlan } from '../gates/gate-plan';
import { Plan } from '../planner/plan-fleet';

/**
 * What people do that no manifest can, in the order to do it: PLAN.md's "Before you merge". Every
 * step a layer waits for is here, so no layer waits for something nobody does.
 */
export function beforeMerge(plan: Plan, gates: GatePlan): string[] {
  const f = plan.fleet;
  const steps: string[] = [];
  steps.push(`Check that the fleet file says what runs: take a snapshot of ${f.management.name} `
    + '(the read-only `kubectl get` in README, "The fleet as it is") '
    + 'and run `npm run --silent inventory -- snapshot.yaml --compare <fleet file>`; it exits 1 listing every cluster, node pool, version or app '
    + 'that differs. The preflight layers check the Kubernetes versions again at run time.');
  const backup = f.preflight.veleroBackup;
  if (backup) {
    steps.push(`Take the Velero backup of this upgrade, ${backup.namespace}/${backup.name} (\`velero backup create ${backup.name} -n ${backup.namespace}\`); `
      + 'mgmt-preflight waits until it completed. Its name names this upgrade, so a backup left by an earlier upgrade cannot pass.');
  } else {
    steps.push('DKP requires a Velero backup before an upgrade; set spec.preflight.veleroBackup to have mgmt-preflight wait for one taken for this upgrade.');
  }
  const ref = plan.release.kommander.applicationsRef;
  if (f.kommanderAppDeployments.length > 0) {
    steps.push(`Push DKP ${plan.release.version}'s application definitions (kommander-applications ${ref}) into Kommander's Git repository, as `
      + '`dkp upgrade kommander` does (README, "The step no manifest can do"); mgmt-preflight waits for the new ClusterApps, and mgmt-kommander moves '
      + 'Kommander by its AppDeployments.');
  } else {
    steps.push(`Run \`dkp upgrade kommander --kommander-applications-repository ${ref}\` (with your release's bundle): it pushes DKP `
      + `${plan.release.version}'s application definitions into Kommander's Git repository and moves Kommander itself, which nothing in dist/ does `
      + '(spec.kommander.appDeployments is empty). mgmt-preflight waits for the new ClusterApps and mgmt-kommander for Kommander\'s HelmReleases; '
      + 'it also moves the management cluster\'s platform apps, to the versions mgmt-platform-apps writes.');
  }
  steps.push(...plan.manualSteps);
  const templates = plan.layers.find((l) => l.name === 'mgmt-preflight')?.checks.filter((c) => c.kind.endsWith('MachineTemplate')) ?? [];
  if (templates.length > 0) {
    steps.push(`Create the new machine templates on ${f.management.name}: ${templates.map((t) => `${t.kind} ${t.namespace}/${t.name}`).join(', ')}; `
      + 'mgmt-preflight waits until they exist.');
  }
  const secrets = plan.layers.flatMap((l) => l.content.clusterResourceSets).flatMap((s) => (s.secret ? [s.secret] : []));
  for (const s of secrets) {
    const from = s.files.map((x) => `--from-file=${x.file}=<a file holding only the Secret documents of ${x.file}: ${x.secrets.join(', ')}>`).join(' ');
    steps.push(`Create the Secret ${s.namespace}/${s.name} on ${f.management.name} from the addon's Secret manifests, which dist/ does not hold: `
      + `\`kubectl create secret generic ${s.name} -n ${s.namespace} --type=addons.cluster.x-k8s.io/resource-set ${from}\`; `
      + 'its ClusterResourceSet applies it to the cluster, and mgmt-preflight waits until it exists.');
  }
  const providersLayer = plan.layers.find((l) => l.kind === 'capi-providers');
  if (providersLayer !== undefined && f.konvoy.providers === 'dkpCli') {
    steps.push(`When mgmt-capi-providers starts waiting (every app layer is Ready: \`flux get kustomizations -n ${f.flux.namespace}\`), run `
      + `\`dkp upgrade capi-components\` against ${f.management.name} with DKP ${plan.release.version}'s CLI; the layer is Ready once every `
      + 'provider\'s manager Deployment runs the new version. Not earlier: the providers move after the apps (DESIGN §1).');
  }
  const providers = providersLayer?.content.providers ?? [];
  const cms = providers.filter((p) => 'configMapLabel' in p.fetch);
  if (cms.length > 0) {
    steps.push(`Create the provider components ConfigMaps from your DKP bundle: ${cms.map((p) => `${p.namespace}/${p.version} `
      + `(label provider-components=${(p.fetch as { configMapLabel: string }).configMapLabel})`).join(', ')}.`);
  }
  const hcp = plan.layers.some((l) => l.content.helmChartProxies.length > 0);
  if (providers.length > 0 || hcp) {
    const what = [
      ...(providers.length > 0 ? ['cluster-api-operator (managing the providers already)'] : []),
      ...(hcp ? ['Cluster API Addon Provider Helm'] : []),
    ];
    steps.push(`Make sure ${what.join(' and ')} run${what.length === 1 ? 's' : ''} on ${f.management.name} (README, "The Konvoy layers").`);
  }
  const bootstrap = `a bootstrap Kustomization ${f.flux.bootstrap.namespace}/${f.flux.bootstrap.name} (${gates.profile.kustomizationApiVersion}) `
    + `with path ${f.flux.path}/fleet, the same source, and no wait or health checks: mgmt-preflight depends on it`;
  if (f.flux.mode === 'hub') {
    const secrets = [f.flux.managementKubeConfigSecret, ...workspaceClusters(f).map((c) => c.kubeconfigSecret)];
    steps.push(`On the hub, in namespace ${f.flux.namespace}: the kubeconfig Secrets ${[...new Set(secrets)].join(', ')} (key value), `
      + `the ${f.flux.sourceRef.kind} ${f.flux.sourceRef.namespace}/${f.flux.sourceRef.name}, and ${bootstrap}.`);
  } else {
    const source = `${f.flux.sourceRef.kind} ${f.flux.sourceRef.namespace}/${f.flux.sourceRef.name}`;
    steps.push(`In namespace ${f.flux.namespace} on ${f.management.name}: the ${source} and ${bootstrap}.`);
  }
  if (gates.jobGates.size > 0) {
    steps.push(`The gate Jobs run ${f.flux.gateImage}: make sure every cluster they run on can pull it.`);
  }
  return steps;
}
