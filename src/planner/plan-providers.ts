import { Change, HealthCheck, ProviderSpec } from './layer';
import { PROVIDER_API_VERSION } from '../catalog/api-versions';
import { ProviderComponents, Release } from '../catalog/release';
import { Fleet, InfrastructureProvider, managedClusters } from '../fleet/fleet';
import { byKey } from '../input/compare';
import { child, Problems } from '../input/problems';

/** The Cluster API providers layer: what it writes, what it waits for, and what the preflight proves first. */
export interface ProvidersPlan {
  /** cluster-api-operator provider objects (`clusterApiOperator`); none when the DKP CLI upgrades the providers. */
  readonly providers: readonly ProviderSpec[];
  /** What mgmt-capi-providers waits for: every manager Deployment at the release's image (and the provider objects). */
  readonly checks: readonly HealthCheck[];
  /** What mgmt-preflight proves (`clusterApiOperator`): the operator already manages each provider, at the current (or target) version. */
  readonly premises: readonly HealthCheck[];
  readonly changes: readonly Change[];
}

interface Entry {
  readonly kind: ProviderSpec['kind'];
  /** cluster-api-operator provider type, as in its ConfigMap label: `core`, `bootstrap`, `control-plane`, `infrastructure`. */
  readonly type: string;
  readonly label: string;
  readonly facts?: ProviderComponents;
  readonly was?: ProviderComponents;
  readonly at: string;
}

/** The providers a fleet uses: core, kubeadm bootstrap and control plane, and one infrastructure provider per provider in use. */
function entries(fleet: Fleet, release: Release, current: Release | undefined): Entry[] {
  const f = release.capiProviders;
  const c = current?.capiProviders;
  const out: Entry[] = [
    { kind: 'CoreProvider', type: 'core', label: 'core provider (cluster-api)', facts: f?.core, was: c?.core, at: 'spec.release' },
    { kind: 'BootstrapProvider', type: 'bootstrap', label: 'kubeadm bootstrap provider', facts: f?.bootstrap, was: c?.bootstrap, at: 'spec.release' },
    {
      kind: 'ControlPlaneProvider', type: 'control-plane', label: 'kubeadm control plane provider',
      facts: f?.controlPlane, was: c?.controlPlane, at: 'spec.release',
    },
  ];
  const infra = new Map<InfrastructureProvider, string>();
  for (const k of [fleet.management, ...managedClusters(fleet)]) {
    if (!infra.has(k.provider)) infra.set(k.provider, child(k.fieldPath, 'provider'));
  }
  for (const [name, at] of [...infra.entries()].sort(byKey(([k]) => k))) {
    out.push({
      kind: 'InfrastructureProvider', type: 'infrastructure', label: `${name} infrastructure provider`,
      facts: f?.infrastructure?.[name], was: c?.infrastructure?.[name], at,
    });
  }
  return out;
}

function componentsFetch(e: Entry, p: ProviderComponents, fleet: Fleet, release: Release, problems: Problems): ProviderSpec['fetch'] | undefined {
  if (fleet.konvoy.providerComponents === 'configMaps') return { configMapLabel: `${e.type}-${p.name}` };
  if (p.url !== undefined) return { url: p.url };
  problems.add(e.at, `release ${release.version} records no components URL for the ${e.type} provider ${p.name} ${p.version} (unknown: no public release `
    + 'assets are known for it); set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, '
    + `"Provider components"), or add its url under capiProviders to ${release.version}.yaml in the folder named by spec.catalog (an overlay)`);
  return undefined;
}

/**
 * Plans the Cluster API providers (DESIGN §3). By default (`dkpCli`) the operator of the fleet runs
 * `dkp upgrade capi-components` when the layer starts waiting, and the layer watches each manager
 * Deployment roll out at the release's version; with `clusterApiOperator`, the layer writes
 * provider objects and watches them and their Deployments, and the preflight proves the operator
 * already manages each provider (it cannot take over providers clusterctl or the DKP CLI installed).
 */
export function planProviders(fleet: Fleet, release: Release, current: Release | undefined, problems: Problems): ProvidersPlan {
  const operator = fleet.konvoy.providers === 'clusterApiOperator';
  const all = entries(fleet, release, current);
  const missing = (labels: string[], what = 'version') => `release ${release.version} does not record the ${what}${labels.length > 1 ? 's' : ''} of the `
    + `${labels.join(', ').replace(/, ([^,]*)$/, ' and $1')} (unknown in ${release.source}); add ${labels.length > 1 ? 'them' : 'it'} under capiProviders `
    + `in ${release.version}.yaml in the folder named by spec.catalog, an overlay of version and the fields it adds `
    + '(read them with `kubectl get deployments -A -l clusterctl.cluster.x-k8s.io` or from '
    + 'your DKP bundle), or set spec.konvoy.enabled: false to upgrade Kommander and the apps only';
  for (const [at, group] of groupBy(all.filter((e) => e.facts === undefined), (e) => e.at)) {
    problems.add(at, missing(group.map((e) => e.label)));
  }
  const noDeployment = all.filter((e) => e.facts !== undefined && e.facts.deployment === undefined);
  for (const [at, group] of groupBy(noDeployment, (e) => e.at)) {
    problems.add(at, missing(group.map((e) => e.label), 'manager Deployment'));
  }
  const providers: ProviderSpec[] = [];
  const checks: HealthCheck[] = [];
  const premises: HealthCheck[] = [];
  const changes: Change[] = [];
  for (const e of all) {
    const p = e.facts;
    if (p === undefined || p.deployment === undefined) continue;
    const object = { apiVersion: PROVIDER_API_VERSION, kind: e.kind, name: p.name, namespace: p.namespace };
    if (operator) {
      const fetch = componentsFetch(e, p, fleet, release, problems);
      if (fetch === undefined) continue;
      providers.push({ kind: e.kind, name: p.name, namespace: p.namespace, version: p.version, fetch, ...(p.image ? { image: p.image } : {}) });
      checks.push({ ...object, expect: { type: 'provider', version: p.version }, applied: true });
      // The operator cannot take over a provider clusterctl or the DKP CLI installed: prove it manages each one already
      // (at the current or target version; at any version where the current release does not record it).
      premises.push({
        ...object, expect: { type: 'provider-installed', versions: e.was !== undefined ? [...new Set([e.was.version, p.version])] : [] }, applied: false,
      });
    }
    // The operator sets the image DKP ships (exact); the DKP CLI may have pulled it from a mirror (its tag).
    const manager = operator && p.image
      ? { name: 'manager', image: p.image, match: 'exact' as const }
      : { name: 'manager', image: p.version, match: 'tag' as const };
    checks.push({
      apiVersion: 'apps/v1', kind: 'Deployment', name: p.deployment, namespace: p.namespace, expect: { type: 'rollout', containers: [manager] }, applied: false,
    });
    changes.push({
      subject: operator ? `${e.kind} ${p.namespace}/${p.name}` : `${e.label} (Deployment ${p.namespace}/${p.deployment})`,
      from: e.was?.version,
      to: p.version,
      ...(operator ? {} : { note: 'upgraded by `dkp upgrade capi-components`; watched' }),
    });
  }
  return { providers, checks, premises, changes };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}
