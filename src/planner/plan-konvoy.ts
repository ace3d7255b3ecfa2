import { Change, ClusterResourceSetSpec, HelmChartProxySpec, ProviderSpec, TemplateRef } from './layer';
import { CoreAddon, ProviderComponents, Release } from '../catalog/release';
import { AddonSources } from '../fleet/addon-sources';
import { Fleet, InfrastructureProvider, KonvoyCluster, MachineTemplateRef, managedClusters } from '../fleet/fleet';
import { child, Problems, show } from '../input/problems';

export interface ClusterAddons {
  readonly helmChartProxies: readonly HelmChartProxySpec[];
  readonly clusterResourceSets: readonly ClusterResourceSetSpec[];
  readonly changes: readonly Change[];
}

export interface KonvoyPlan {
  readonly providers: readonly ProviderSpec[];
  readonly providerChanges: readonly Change[];
  /** Core addons by Konvoy cluster name (the management cluster included). */
  readonly addons: ReadonlyMap<string, ClusterAddons>;
}

/**
 * Default infrastructure machine template kinds. Each provider's template kind is named in
 * its own API (CAPA AWSMachineTemplate, CAPZ AzureMachineTemplate, CAPV VSphereMachineTemplate,
 * CAPG GCPMachineTemplate: ../shared/crds and the providers' repositories); DKP's
 * pre-provisioned provider uses PreprovisionedMachineTemplate in its own group (seen in
 * `dkp create cluster preprovisioned --dry-run` output reproduced in public material:
 * inferred).
 */
const TEMPLATE_KINDS: Record<InfrastructureProvider, { kind: string; group: string }> = {
  aws: { kind: 'AWSMachineTemplate', group: 'infrastructure.cluster.x-k8s.io' },
  azure: { kind: 'AzureMachineTemplate', group: 'infrastructure.cluster.x-k8s.io' },
  vsphere: { kind: 'VSphereMachineTemplate', group: 'infrastructure.cluster.x-k8s.io' },
  gcp: { kind: 'GCPMachineTemplate', group: 'infrastructure.cluster.x-k8s.io' },
  preprovisioned: { kind: 'PreprovisionedMachineTemplate', group: 'infrastructure.cluster.konvoy.d2iq.io' },
};

/** The full reference a machine template change writes (infrastructureRef is atomic under server-side apply). */
export function templateRef(ref: MachineTemplateRef, c: KonvoyCluster, release: Release): TemplateRef {
  const d = TEMPLATE_KINDS[c.provider];
  const version = c.provider === 'preprovisioned' ? 'v1alpha1' : release.capiContract;
  return { apiVersion: ref.apiVersion ?? `${d.group}/${version}`, kind: ref.kind ?? d.kind, name: ref.name, namespace: c.namespace };
}

function providerSpec(
  kind: ProviderSpec['kind'],
  type: string,
  p: ProviderComponents,
  fleet: Fleet,
  release: Release,
  at: string,
  problems: Problems,
): ProviderSpec | undefined {
  let fetch: ProviderSpec['fetch'];
  if (fleet.konvoy.providerComponents === 'configMaps') {
    fetch = { configMapLabel: `${type}-${p.name}` };
  } else if (p.url !== undefined) {
    fetch = { url: p.url };
  } else {
    problems.add(at, `release ${release.version} records no components URL for the ${type} provider ${p.name} ${p.version} (unknown: no public release `
      + 'assets are known for it); set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, '
      + `"Provider components"), or add capiProviders url to a release file in the folder named by spec.catalog`);
    return undefined;
  }
  return { kind, name: p.name, namespace: p.namespace, version: p.version, fetch, ...(p.image ? { image: p.image } : {}) };
}

function planProviders(fleet: Fleet, release: Release, current: Release | undefined, problems: Problems): { providers: ProviderSpec[]; changes: Change[] } {
  const facts = release.capiProviders;
  const missing = (what: string, several = false) => `release ${release.version} does not record the version${several ? 's' : ''} of the ${what} `
    + `(unknown in ${release.source}); add ${several ? 'them' : 'it'} under capiProviders in a release file in the folder named by spec.catalog `
    + '(read them with `kubectl get providers -A` or from your DKP bundle), or set spec.konvoy.enabled: false to upgrade Kommander and the apps only';
  const providers: ProviderSpec[] = [];
  const changes: Change[] = [];
  const add = (kind: ProviderSpec['kind'], type: string, p: ProviderComponents, was: ProviderComponents | undefined, at: string) => {
    const spec = providerSpec(kind, type, p, fleet, release, at, problems);
    if (spec) {
      providers.push(spec);
      changes.push({ subject: `${kind} ${p.namespace}/${p.name}`, from: was?.version, to: p.version });
    }
  };
  const core: [ProviderSpec['kind'], string, ProviderComponents | undefined, ProviderComponents | undefined, string][] = [
    ['CoreProvider', 'core', facts?.core, current?.capiProviders?.core, 'core provider (cluster-api)'],
    ['BootstrapProvider', 'bootstrap', facts?.bootstrap, current?.capiProviders?.bootstrap, 'kubeadm bootstrap provider'],
    ['ControlPlaneProvider', 'control-plane', facts?.controlPlane, current?.capiProviders?.controlPlane, 'kubeadm control plane provider'],
  ];
  const unknownCore = core.filter(([, , p]) => p === undefined).map(([, , , , label]) => label);
  if (unknownCore.length > 0) {
    problems.add('spec.release', missing(unknownCore.join(', ').replace(/, ([^,]*)$/, ' and $1'), unknownCore.length > 1));
  }
  for (const [kind, type, p, was] of core) {
    if (p !== undefined) add(kind, type, p, was, 'spec.release');
  }
  const infra = new Map<InfrastructureProvider, string>();
  for (const c of [fleet.management, ...managedClusters(fleet)]) {
    if (!infra.has(c.provider)) infra.set(c.provider, child(c.fieldPath, 'provider'));
  }
  for (const [name, at] of [...infra.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const p = facts?.infrastructure?.[name];
    if (p === undefined) {
      problems.add(at, missing(`${name} infrastructure provider`));
    } else {
      add('InfrastructureProvider', 'infrastructure', p, current?.capiProviders?.infrastructure?.[name], at);
    }
  }
  return { providers, changes };
}

function lookup<T>(
  tree: { clusters: ReadonlyMap<string, ReadonlyMap<string, T>>; providers: ReadonlyMap<string, ReadonlyMap<string, T>> },
  c: KonvoyCluster,
  addon: string,
): T | undefined {
  return tree.clusters.get(c.name)?.get(addon) ?? tree.providers.get(c.provider)?.get(addon);
}

function crs(addon: string, c: KonvoyCluster, files: ReadonlyMap<string, string>, release: Release): ClusterResourceSetSpec {
  return { name: `${addon}-${c.name}`, namespace: c.namespace, cluster: c.name, strategy: release.clusterResourceSetStrategy, data: Object.fromEntries(files) };
}

function planClusterAddons(
  c: KonvoyCluster,
  fleet: Fleet,
  release: Release,
  current: Release | undefined,
  sources: AddonSources,
  problems: Problems,
): ClusterAddons {
  const k = fleet.konvoy;
  const helmChartProxies: HelmChartProxySpec[] = [];
  const clusterResourceSets: ClusterResourceSetSpec[] = [];
  const changes: Change[] = [];
  const manifestsHint = (addon: string) =>
    `${k.addonManifestsDir ?? '<spec.konvoy.addons.manifests>'}/clusters/${c.name}/${addon}/ or .../providers/${c.provider}/${addon}/`;

  if (k.addonDelivery === 'clusterResourceSet') {
    // Every addon comes from the user's manifests: the addon set is theirs (e.g. `dkp upgrade addons ... --dry-run -o yaml`).
    const names = new Set([...(sources.manifests.providers.get(c.provider)?.keys() ?? []), ...(sources.manifests.clusters.get(c.name)?.keys() ?? [])]);
    if (names.size === 0) {
      problems.add(child(c.fieldPath, 'name'), `no addon manifests for cluster ${show(c.name)}: `
        + `ClusterResourceSet delivery reads them from ${manifestsHint('<addon>')}`);
    }
    for (const addon of [...names].sort()) {
      clusterResourceSets.push(crs(addon, c, lookup(sources.manifests, c, addon)!, release));
      changes.push({ subject: `ClusterResourceSet ${c.namespace}/${addon}-${c.name}`, to: 'manifests from spec.konvoy.addons.manifests' });
    }
    return { helmChartProxies, clusterResourceSets, changes };
  }

  const addons = release.coreAddons?.[c.provider];
  if (addons === undefined) {
    problems.add(child(c.fieldPath, 'provider'), `release ${release.version} does not record the core addons of ${c.provider} clusters `
      + `(unknown in ${release.source}); `
      + 'add coreAddons to a release file in the folder named by spec.catalog, or set spec.konvoy.addons.delivery: clusterResourceSet '
      + 'and supply the addon manifests');
    return { helmChartProxies, clusterResourceSets, changes };
  }
  const was = new Map((current?.coreAddons?.[c.provider] ?? []).map((a) => [a.name, a.version]));
  for (const a of addons) {
    const viaCrs = k.clusterResourceSetAddons.includes(a.name);
    if (viaCrs) {
      const files = lookup(sources.manifests, c, a.name);
      if (files === undefined) {
        problems.add('spec.konvoy.addons.clusterResourceSetAddons', `addon ${show(a.name)} of cluster ${show(c.name)} is delivered by ClusterResourceSet, `
          + `but no manifests were found in ${manifestsHint(a.name)}`);
        continue;
      }
      clusterResourceSets.push(crs(a.name, c, files, release));
    } else if (a.chart === undefined) {
      problems.add(child(c.fieldPath, 'provider'), `core addon ${a.name} ${a.version} of ${c.provider} clusters in release ${release.version} `
        + 'has no usable Helm chart '
        + `(${release.source}); deliver it by ClusterResourceSet: add ${show(a.name)} to spec.konvoy.addons.clusterResourceSetAddons and put its `
        + `manifests in ${manifestsHint(a.name)}`);
      continue;
    } else {
      helmChartProxies.push(helmChartProxy(a, c, sources));
    }
    changes.push({ subject: `${viaCrs ? 'ClusterResourceSet' : 'HelmChartProxy'} ${c.namespace}/${a.name}-${c.name}`, from: was.get(a.name), to: a.version });
  }
  return { helmChartProxies, clusterResourceSets, changes };
}

function helmChartProxy(a: CoreAddon, c: KonvoyCluster, sources: AddonSources): HelmChartProxySpec {
  const values = lookup(sources.values, c, a.name) ?? sources.values.shared.get(a.name);
  return {
    name: `${a.name}-${c.name}`,
    namespace: c.namespace,
    cluster: c.name,
    repoURL: a.chart!.repoURL,
    chartName: a.chart!.name,
    version: a.chart!.version,
    releaseName: a.name,
    releaseNamespace: a.releaseNamespace,
    ...(values !== undefined ? { valuesTemplate: values } : {}),
  };
}

/**
 * Plans the Konvoy layers' contents: the Cluster API providers at the release's versions, and
 * each Konvoy cluster's core addons (HelmChartProxy per addon, or ClusterResourceSet from the
 * user's manifests). Names the missing fact when the release lacks one the fleet needs.
 */
export function planKonvoy(fleet: Fleet, release: Release, current: Release | undefined, sources: AddonSources, problems: Problems): KonvoyPlan {
  const { providers, changes } = planProviders(fleet, release, current, problems);
  const addons = new Map<string, ClusterAddons>();
  for (const c of [fleet.management, ...managedClusters(fleet)]) {
    addons.set(c.name, planClusterAddons(c, fleet, release, current, sources, problems));
  }
  return { providers, providerChanges: changes, addons };
}
