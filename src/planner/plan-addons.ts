import { createHash } from 'crypto';
import * as YAML from 'yaml';
import { splitSecrets, SplitManifests } from './addon-secrets';
import { AppliedSet, Change, ClusterResourceSetSpec, ContainerImage, HealthCheck, HelmChartProxySpec } from './layer';
import { CLUSTER_RESOURCE_SET_API_VERSION, HELM_CHART_PROXY_API_VERSION } from '../catalog/api-versions';
import { CoreAddon, Release } from '../catalog/release';
import { AddonSources } from '../fleet/addon-sources';
import { AddonDelivery, Fleet, KonvoyCluster } from '../fleet/fleet';
import { compareStrings } from '../input/compare';
import { child, Problems, show } from '../input/problems';

/** The core addons of one Konvoy cluster: what its addons layer writes and checks. */
export interface ClusterAddons {
  readonly helmChartProxies: readonly HelmChartProxySpec[];
  readonly clusterResourceSets: readonly ClusterResourceSetSpec[];
  readonly changes: readonly Change[];
  /** What the addons layer checks on the management cluster. */
  readonly checks: readonly HealthCheck[];
  /** The addons' workloads, checked on the cluster itself. */
  readonly workloads: readonly HealthCheck[];
  /** Addons whose workloads nothing checks on the cluster, with why. */
  readonly unchecked: readonly string[];
}

/**
 * How the fleet delivers core addons: as it says, else as its current release did (DESIGN §3: what
 * a ClusterResourceSet installed, HelmChartProxies cannot adopt), else as the target release does.
 */
export function addonDelivery(fleet: Fleet, release: Release, current: Release | undefined, problems: Problems): AddonDelivery | undefined {
  const delivery = fleet.konvoy.addonDelivery ?? (current ?? release).addonDelivery;
  if (delivery === undefined) {
    problems.add('spec.konvoy.addons.delivery', `required: release ${(current ?? release).version} does not record how DKP delivered core addons `
      + `(unknown in ${(current ?? release).source}); set clusterResourceSet (DKP 2.1 and 2.2 used ClusterResourceSets) or helmChartProxy`);
  }
  return delivery;
}

function lookup<T>(
  tree: { clusters: ReadonlyMap<string, ReadonlyMap<string, T>>; providers: ReadonlyMap<string, ReadonlyMap<string, T>> },
  c: KonvoyCluster,
  addon: string,
): T | undefined {
  return tree.clusters.get(c.name)?.get(addon) ?? tree.providers.get(c.provider)?.get(addon);
}

/**
 * The hash Cluster API records in a ClusterResourceSetBinding once a ConfigMap's content is
 * applied: sha256 over the data values in key order, `sha256:<hex>` (cluster-api v1.1.3
 * exp/addons/internal/controllers/clusterresourceset_controller.go and clusterresourceset_helpers.go).
 */
export function configMapHash(data: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  for (const key of Object.keys(data).sort(compareStrings)) h.update(data[key]);
  return `sha256:${h.digest('hex')}`;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** The Deployments, DaemonSets and StatefulSets of an addon's manifests, checked at the images they name. */
export function workloadsOf(files: ReadonlyMap<string, string>): HealthCheck[] {
  const out: HealthCheck[] = [];
  for (const text of files.values()) {
    for (const doc of YAML.parseAllDocuments(text)) {
      const o = doc.toJS() as Record<string, any> | null;
      if (o === null || typeof o !== 'object' || o.apiVersion !== 'apps/v1' || !WORKLOAD_KINDS.has(o.kind) || typeof o.metadata?.name !== 'string') continue;
      const containers: ContainerImage[] = (o.spec?.template?.spec?.containers ?? [])
        .filter((x: any) => typeof x?.name === 'string' && typeof x?.image === 'string')
        .map((x: any) => ({ name: x.name, image: x.image, match: 'exact' }));
      out.push({
        apiVersion: 'apps/v1', kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? 'default',
        expect: { type: 'rollout', containers }, applied: false,
      });
    }
  }
  return out;
}

function helmChartProxy(a: CoreAddon, c: KonvoyCluster, values: string | undefined): HelmChartProxySpec {
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
 * Plans one Konvoy cluster's core addons: a HelmChartProxy per addon the release ships (its
 * HelmReleaseProxies checked at the chart version), or a ClusterResourceSet per addon folder of
 * the user's manifests (the ClusterResourceSetBinding checked for this content, and the
 * manifests' Deployments, DaemonSets and StatefulSets checked on the cluster at their images).
 */
export function planClusterAddons(
  c: KonvoyCluster, delivery: AddonDelivery, fleet: Fleet, release: Release, current: Release | undefined, sources: AddonSources, problems: Problems,
): ClusterAddons {
  const k = fleet.konvoy;
  const helmChartProxies: HelmChartProxySpec[] = [];
  const sets: { addon: string; files: ReadonlyMap<string, string> }[] = [];
  const changes: Change[] = [];
  const unchecked: string[] = [];
  const manifestsHint = (addon: string) =>
    `${k.addonManifestsDir ?? '<spec.konvoy.addons.manifests>'}/clusters/${c.name}/${addon}/ or .../providers/${c.provider}/${addon}/`;

  if (delivery === 'clusterResourceSet') {
    // Every addon comes from the user's manifests: the addon set is theirs (e.g. `dkp upgrade addons ... --dry-run -o yaml`).
    const names = new Set([...(sources.manifests.providers.get(c.provider)?.keys() ?? []), ...(sources.manifests.clusters.get(c.name)?.keys() ?? [])]);
    if (names.size === 0) {
      problems.add(child(c.fieldPath, 'name'), `no addon manifests for cluster ${show(c.name)}: `
        + `ClusterResourceSet delivery reads them from ${manifestsHint('<addon>')}`);
    }
    for (const addon of [...names].sort()) {
      sets.push({ addon, files: lookup(sources.manifests, c, addon)! });
      changes.push({ subject: `ClusterResourceSet ${c.namespace}/${addon}-${c.name}`, to: 'manifests from spec.konvoy.addons.manifests' });
    }
  } else {
    const addons = release.coreAddons?.[c.provider];
    if (addons === undefined) {
      problems.add(child(c.fieldPath, 'provider'), `release ${release.version} does not record the core addons of ${c.provider} clusters `
        + `(unknown in ${release.source}); `
        + `add coreAddons.${c.provider} to ${release.version}.yaml in the folder named by spec.catalog (an overlay: version and the fields it adds), `
        + 'or set spec.konvoy.addons.delivery: clusterResourceSet '
        + 'and supply the addon manifests');
      return { helmChartProxies, clusterResourceSets: [], changes, checks: [], workloads: [], unchecked };
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
        sets.push({ addon: a.name, files });
      } else if (a.chart === undefined) {
        problems.add(child(c.fieldPath, 'provider'), `core addon ${a.name} ${a.version} of ${c.provider} clusters in release ${release.version} `
          + 'has no usable Helm chart '
          + `(${release.source}); deliver it by ClusterResourceSet: add ${show(a.name)} to spec.konvoy.addons.clusterResourceSetAddons and put its `
          + `manifests in ${manifestsHint(a.name)}`);
        continue;
      } else {
        const values = lookup(sources.values, c, a.name) ?? sources.values.shared.get(a.name);
        if (values === undefined && a.valuesRequired !== undefined) {
          problems.add(child(c.fieldPath, 'provider'), `core addon ${a.name} of cluster ${show(c.name)} needs values in helmChartProxy delivery `
            + `(${a.valuesRequired}): put a valuesTemplate in ${k.addonValuesDir ?? '<spec.konvoy.addons.values>'}/clusters/${c.name}/${a.name}.yaml, `
            + `.../providers/${c.provider}/${a.name}.yaml or .../${a.name}.yaml, or deliver it by ClusterResourceSet`);
          continue;
        }
        helmChartProxies.push(helmChartProxy(a, c, values));
        unchecked.push(`${a.name} (HelmChartProxy: its workloads are the chart's; Helm waits for them before it reports the release deployed)`);
      }
      changes.push({ subject: `${viaCrs ? 'ClusterResourceSet' : 'HelmChartProxy'} ${c.namespace}/${a.name}-${c.name}`, from: was.get(a.name), to: a.version });
    }
  }

  const split = sets.map((s) => ({ ...s, ...manifestsOf(s.files) }));
  const clusterResourceSets: ClusterResourceSetSpec[] = split.map(({ addon, data, secrets }) => ({
    name: `${addon}-${c.name}`, namespace: c.namespace, cluster: c.name, strategy: release.clusterResourceSetStrategy, data,
    ...(secrets.length > 0 ? { secret: { name: `${addon}-${c.name}-secret`, namespace: c.namespace, files: secrets } } : {}),
  }));
  const applied: AppliedSet[] = split.filter((s) => s.hash !== undefined)
    .map((s) => ({ clusterResourceSet: `${s.addon}-${c.name}`, configMap: `${s.addon}-${c.name}`, hash: s.hash! }));
  const workloads: HealthCheck[] = [];
  for (const { addon, found } of split) {
    if (found.length === 0) unchecked.push(`${addon} (its manifests hold no Deployment, DaemonSet or StatefulSet to check on the cluster)`);
    workloads.push(...found.map((w) => ({ ...w }))); // one object per layer that checks it
  }
  const checks: HealthCheck[] = [
    ...helmChartProxies.map((h): HealthCheck => ({
      apiVersion: HELM_CHART_PROXY_API_VERSION, kind: 'HelmChartProxy', name: h.name, namespace: h.namespace,
      expect: { type: 'helm-chart-proxy', version: h.version }, applied: true,
    })),
    ...clusterResourceSets.map((s): HealthCheck => ({
      apiVersion: CLUSTER_RESOURCE_SET_API_VERSION, kind: 'ClusterResourceSet', name: s.name, namespace: s.namespace,
      expect: { type: 'resource-set' }, applied: true,
    })),
    ...(applied.length > 0 ? [{
      apiVersion: CLUSTER_RESOURCE_SET_API_VERSION, kind: 'ClusterResourceSetBinding', name: c.name, namespace: c.namespace,
      expect: { type: 'resource-set-binding', sets: applied, strategy: release.clusterResourceSetStrategy }, applied: false,
    } as HealthCheck] : []),
  ];
  return { helmChartProxies, clusterResourceSets, changes, checks, workloads: dedupe(workloads), unchecked };
}

/** What an addon folder's manifests give every cluster that uses them: read once per folder (a provider's is shared by its clusters). */
interface AddonManifests {
  /** ConfigMap data, Secrets taken out. */
  readonly data: Readonly<Record<string, string>>;
  readonly secrets: SplitManifests['secrets'];
  /** The binding hash of `data`. @default - none: no ConfigMap (Secrets only) */
  readonly hash?: string;
  readonly found: readonly HealthCheck[];
}

const manifestsCache = new WeakMap<ReadonlyMap<string, string>, AddonManifests>();

function manifestsOf(files: ReadonlyMap<string, string>): AddonManifests {
  let m = manifestsCache.get(files);
  if (m === undefined) {
    const split = splitSecrets(files);
    const data = Object.fromEntries(split.files);
    m = { data, secrets: split.secrets, ...(split.files.size > 0 ? { hash: configMapHash(data) } : {}), found: workloadsOf(split.files) };
    manifestsCache.set(files, m);
  }
  return m;
}

/** One check per workload (two addon folders may name the same object). */
function dedupe(checks: readonly HealthCheck[]): HealthCheck[] {
  const seen = new Map<string, HealthCheck>();
  for (const c of checks) seen.set(`${c.kind}/${c.namespace}/${c.name}`, c);
  return [...seen.values()];
}
