import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as semver from 'semver';
import * as YAML from 'yaml';
import { ReleaseCatalog } from '../../src/catalog/catalog';
import { Release } from '../../src/catalog/release';
import { ADDON_PLACEHOLDERS, ROOT } from '../helpers';

/**
 * Random VALID fleets for property tests. fast-check draws a blueprint of plain choices
 * (numbers, booleans); {@link buildFleet} turns it into a fleet that follows every rule of
 * DESIGN §6.2 by construction, using the catalog's facts, and records what the output must
 * hold (the layer names, each cluster's target Kubernetes). Shrinking a blueprint shrinks the
 * fleet: choice 0 is always the plainest option.
 */

/** Kubernetes versions to draw from; the rules filter them per release and cluster. */
const KUBERNETES = [20, 21, 22, 23, 24].flatMap((minor) => [0, 1, 5, 6, 7, 8, 12, 14].map((patch) => `1.${minor}.${patch}`));
const WAVES = [1, 1, 1, 2, 2, 3, 5, 1000];
const DURATIONS = ['10m', '2m', '30m', '90s', '1h30m', '45m', '500ms', '1h'];
const PATH_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';
const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];
const minorGap = (a: string, b: string) => semver.minor(a) - semver.minor(b) + 100 * (semver.major(a) - semver.major(b));

const nodePoolBp = fc.record({ version: fc.nat(), template: fc.boolean() });
const clusterBp = fc.record({
  workspace: fc.nat(),
  attached: fc.nat({ max: 4 }).map((n) => n === 4),
  topology: fc.nat({ max: 5 }).map((n) => n === 5),
  pinTarget: fc.boolean(),
  target: fc.nat(),
  current: fc.nat(),
  wave: fc.nat(),
  pools: fc.array(nodePoolBp, { maxLength: 3 }),
  nameLength: fc.nat({ max: 41 }),
  namespace: fc.boolean(),
  controlPlaneName: fc.boolean(),
  kubeConfig: fc.boolean(),
});
const appsBp = fc.record({
  catalog: fc.array(fc.nat(), { maxLength: 3 }), pin: fc.array(fc.boolean(), { maxLength: 3 }), custom: fc.nat({ max: 2 }), range: fc.nat(),
});
const workspaceBp = fc.record({
  nameLength: fc.nat({ max: 46 }),
  namespace: fc.boolean(),
  platform: fc.option(fc.array(fc.nat(), { maxLength: 6 }), { nil: undefined }),
  overrides: fc.boolean(),
  apps: appsBp,
  projects: fc.array(fc.record({ apps: appsBp, placed: fc.option(fc.array(fc.nat(), { maxLength: 3 }), { nil: undefined }) }), { maxLength: 2 }),
});

const sized = (min: [number, number], max: [number, number]) => fc.record({
  workspaces: fc.array(workspaceBp, { minLength: min[0], maxLength: max[0] }),
  clusters: fc.array(clusterBp, { minLength: min[1], maxLength: max[1] }),
});

export const blueprint = fc.record({
  // Big fleets are rare: most runs are small, so many runs fit the time budget.
  size: fc.oneof(
    { weight: 14, arbitrary: sized([1, 0], [4, 8]) },
    { weight: 4, arbitrary: sized([1, 9], [20, 60]) },
    { weight: 1, arbitrary: sized([20, 61], [50, 200]) },
  ),
  pair: fc.nat(),
  noCurrent: fc.nat({ max: 5 }).map((n) => n === 5),
  kommander: fc.boolean(),
  konvoyOff: fc.nat({ max: 6 }).map((n) => n === 6),
  management: fc.record({
    pinTarget: fc.boolean(), target: fc.nat(), current: fc.nat(), topology: fc.nat({ max: 5 }).map((n) => n === 5),
    pools: fc.array(nodePoolBp, { maxLength: 3 }), platform: fc.array(fc.nat(), { maxLength: 6 }), apps: appsBp, nameLength: fc.nat({ max: 40 }),
  }),
  // Konvoy settings: providers through cluster-api-operator; core addons by HelmChartProxy (where the release and the
  // placeholder values allow it) rather than the ClusterResourceSets of the placeholder manifests; the delivery written out.
  konvoySettings: fc.record({ operator: fc.boolean(), helm: fc.nat({ max: 3 }).map((n) => n === 3), explicitDelivery: fc.boolean() }),
  flux: fc.record({
    source: fc.nat(), sourceNamespace: fc.boolean(), namespace: fc.boolean(), mgmtKubeConfig: fc.boolean(), gateImage: fc.boolean(), bootstrap: fc.boolean(),
    path: fc.option(fc.record({
      dotSlash: fc.boolean(),
      segments: fc.array(fc.array(fc.nat({ max: PATH_CHARS.length - 1 }), { minLength: 1, maxLength: 8 }), { maxLength: 4 }),
      trailing: fc.boolean(),
      doubled: fc.boolean(),
    }), { nil: undefined }),
    interval: fc.nat(), retryInterval: fc.nat(), timeout: fc.nat(),
  }),
  // 0: no backup; 1: the default name and namespace; 2: a name of this upgrade; 3: another namespace
  backup: fc.nat({ max: 3 }),
  names: fc.array(fc.nat({ max: NAME_CHARS.length - 1 }), { minLength: 64, maxLength: 64 }),
  sample: fc.nat(),
  // Rollout controls (README "Rollout controls"): holds of waves or managed clusters, a soak or a failure budget per wave.
  rollout: fc.record({
    hold: fc.array(fc.nat(), { maxLength: 3 }),
    waves: fc.array(fc.record({ wave: fc.nat(), soak: fc.nat({ max: 2 }), budget: fc.nat({ max: 3 }) }), { maxLength: 3 }),
  }),
});

export type Blueprint = typeof blueprint extends fc.Arbitrary<infer T> ? T : never;

/** What a built fleet's output must hold. */
export interface Expected {
  /** Every layer (= folder and Kustomization) name. */
  readonly layers: readonly string[];
  /** Target Kubernetes per Konvoy cluster (management included), when Konvoy is upgraded. */
  readonly targets: ReadonlyMap<string, {
    readonly version: string; readonly namespace: string; readonly controlPlane: string; readonly topology: boolean; readonly pools: readonly string[];
  }>;
  /** The normalized `spec.flux.path`, as every Kustomization's `spec.path` must start. */
  readonly path: string;
  readonly capiContract: string;
  readonly kustomizationApiVersion: string;
  /** The Kustomization mgmt-preflight depends on besides the layers: the bootstrap one, as Flux resolves it. */
  readonly bootstrap: { readonly name: string; readonly namespace: string };
  /** The Velero Backup mgmt-preflight waits for, if any. */
  readonly backup?: { readonly name: string; readonly namespace: string };
}

export interface BuiltFleet {
  readonly fleet: any;
  readonly expected: Expected;
  /**
   * Providers whose placeholder addon manifests (test/helpers.ts ADDON_PLACEHOLDERS) the folder
   * `./addons` beside the fleet file must hold (addonManifestsFor): the fleet names that folder
   * when its core addons go by ClusterResourceSet. Empty when it names none.
   */
  readonly addonManifestsFor: readonly string[];
}

/** Every (current, target) pair the catalog accepts and whose target has Kubernetes facts; current may be unknown. */
export function releasePairs(catalog: ReleaseCatalog): { current?: Release; target: Release }[] {
  const releases = catalog.versions.map((v) => catalog.get(v)!);
  const pairs: { current?: Release; target: Release }[] = [];
  for (const target of releases) {
    if (target.kubernetes === undefined) continue; // e.g. 2.4.x: no Kubernetes facts, cannot be a target
    pairs.push({ target });
    for (const current of releases) {
      if (catalog.canUpgrade(current.version, target.version)) pairs.push({ current, target });
    }
  }
  return pairs;
}

function paddedName(prefix: string, length: number, chars: readonly number[], offset: number): string {
  if (length <= prefix.length + 1) return prefix;
  let pad = '';
  for (let i = 0; pad.length < length - prefix.length - 1; i++) pad += NAME_CHARS[chars[(offset + i) % chars.length]];
  pad = pad.replace(/-+$/, '') || 'x';
  return `${prefix}-${pad}`;
}

function fluxPath(p: NonNullable<Blueprint['flux']['path']>): { raw: string; normalized: string } {
  const segments = p.segments.map((s) => s.map((c) => PATH_CHARS[c]).join('')).filter((s) => s !== '..');
  let raw = (p.dotSlash ? './' : '') + segments.join(p.doubled ? '//' : '/') + (p.trailing && segments.length > 0 ? '/' : '');
  if (raw === '') raw = '.';
  const parts = raw.split('/').filter((s) => s !== '' && s !== '.');
  return { raw, normalized: parts.length === 0 ? '.' : `./${parts.join('/')}` };
}

/** The placeholder values of HelmChartProxy delivery (spec.konvoy.addons.values), in the repository. */
const ADDON_VALUES = 'examples/addon-values';

/**
 * Infrastructure providers whose Konvoy layers `release` can write with its own facts: the
 * Cluster API providers are known with their manager Deployments, and the core addons can be
 * delivered: by ClusterResourceSet, from the provider's placeholder manifests; by HelmChartProxy,
 * when every addon has a Helm chart and the placeholder values hold those the chart needs
 * (valuesRequired). Empty when the release has no Konvoy facts.
 */
export function konvoyProviders(release: Release, delivery: 'clusterResourceSet' | 'helmChartProxy' = 'clusterResourceSet'): string[] {
  const capi = release.capiProviders;
  if ([capi?.core, capi?.bootstrap, capi?.controlPlane].some((c) => c?.deployment === undefined)) return [];
  return Object.entries(capi?.infrastructure ?? {}).filter(([, c]) => c?.deployment !== undefined).map(([p]) => p).sort().filter((p) => {
    if (delivery === 'clusterResourceSet') return ADDON_PLACEHOLDERS[p] !== undefined;
    const addons = release.coreAddons?.[p as keyof NonNullable<Release['coreAddons']>];
    return addons !== undefined && addons.every((a) => a.chart !== undefined
      && (a.valuesRequired === undefined || fs.existsSync(path.join(ROOT, ADDON_VALUES, `${a.name}.yaml`))));
  });
}

const workloadsMemo = new Map<string, boolean>();

/**
 * Whether a provider's placeholder addon manifests hold a Deployment, DaemonSet or StatefulSet:
 * then each managed cluster of that provider gets a layer that checks them on the cluster
 * (cluster-<c>-addons-ready). Read from the files, not from dkp-fleet.
 */
export function placeholderHasWorkloads(provider: string): boolean {
  const known = workloadsMemo.get(provider);
  if (known !== undefined) return known;
  const root = path.join(ROOT, ADDON_PLACEHOLDERS[provider], 'providers', provider);
  const docs = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(root, f), 'utf8')).map((d) => d.toJS()));
  const found = docs.some((o) => o?.apiVersion === 'apps/v1' && ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
  workloadsMemo.set(provider, found);
  return found;
}

/**
 * Builds a valid fleet from a blueprint.
 */
export function buildFleet(bp: Blueprint, catalog: ReleaseCatalog): BuiltFleet {
  const allPairs = releasePairs(catalog);
  // Konvoy layers need the target's provider facts (the catalog has them for 2.1.0 and 2.2.0).
  const konvoyPairs = allPairs.filter((p) => konvoyProviders(p.target).length > 0);
  const konvoy = !bp.konvoyOff && konvoyPairs.length > 0;
  const picked = pick(konvoy ? konvoyPairs : allPairs, bp.pair);
  const target = picked.target;
  const current = bp.noCurrent && !bp.kommander ? undefined : picked.current;
  // Core addons: by ClusterResourceSet from the placeholder manifests (how DKP 2.1 and 2.2 deliver them), or by HelmChartProxy
  // where the target allows it for some provider; the fleet names the delivery unless the release it upgrades from records it.
  const helmProviders = konvoy ? konvoyProviders(target, 'helmChartProxy') : [];
  const helm = konvoy && bp.konvoySettings.helm && helmProviders.length > 0;
  const defaultDelivery = (current ?? target).addonDelivery;
  const operator = konvoy && bp.konvoySettings.operator;
  const k8s = target.kubernetes!;
  const supported = KUBERNETES.filter((v) => semver.satisfies(v, k8s.supported));
  const kcAtLeast = (v: string) => current !== undefined && semver.gte(semver.coerce(current.flux.kustomizeController)!, v);
  const providers = konvoy ? (helm ? helmProviders : konvoyProviders(target)) : ['aws', 'azure', 'vsphere', 'gcp', 'preprovisioned'];
  // Provider components without a release URL (D2iQ forks) come from ConfigMaps (through cluster-api-operator only).
  const capi = target.capiProviders;
  const needsConfigMaps = operator && [
    capi?.core, capi?.bootstrap, capi?.controlPlane,
    ...providers.map((p) => capi?.infrastructure?.[p as keyof NonNullable<NonNullable<typeof capi>['infrastructure']>]),
  ].some((c) => c !== undefined && c.url === undefined);
  // kommander mode needs the current release's Flux: with Konvoy layers, one that has ssa: merge (kustomize-controller v0.22.0).
  const kommander = bp.kommander && current !== undefined && (!konvoy || kcAtLeast('0.22.0'));
  const names = bp.names;

  const targets = new Map<string, {
    version: string; namespace: string; controlPlane: string; topology: boolean; pools: string[]; provider: string;
  }>();
  /** A Konvoy cluster's versions, following the rules of resolve-kubernetes.ts. */
  const versions = (c: { pinTarget: boolean; target: number; current: number }, ceiling: string | undefined) => {
    if (!konvoy) {
      const currentChoices = supported.filter((v) => ceiling === undefined || semver.lte(v, ceiling));
      const cur = pick(currentChoices, c.current);
      return { current: cur, target: cur, pinned: undefined };
    }
    const targetChoices = supported.filter((v) => ceiling === undefined || semver.lte(v, ceiling));
    const useDefault = k8s.default !== undefined && !c.pinTarget && (ceiling === undefined || semver.lte(k8s.default, ceiling));
    const tgt = useDefault ? k8s.default! : pick(targetChoices, c.target);
    const cur = pick(KUBERNETES.filter((v) => semver.lte(v, tgt) && minorGap(tgt, v) <= 1), c.current);
    return { current: cur, target: tgt, pinned: useDefault ? undefined : tgt };
  };
  const pools = (bps: readonly { version: number; template: boolean }[], cluster: string, cur: string, tgt: string) => bps.map((p, i) => {
    // Never newer than the control plane; within the kubelet skew (2 minors below 1.25) of the target.
    const choices = KUBERNETES.filter((v) => semver.lte(v, cur) && (!konvoy || minorGap(tgt, v) <= 2));
    const version = p.version % 3 === 0 ? undefined : pick(choices, p.version);
    return {
      name: `${cluster}-md-${i}`,
      ...(version ? { kubernetesVersion: version } : {}),
      ...(p.template ? { machineTemplate: `${cluster}-mt-${i}.v2` } : {}),
    };
  });
  /** Catalog apps that fit every Kubernetes version they meet, custom apps with a range that covers them. */
  const apps = (a: Blueprint['management']['apps'], meets: readonly string[], prefix: string) => {
    const catalogApps: any[] = [];
    const available = Object.keys(target.catalogApps).sort();
    const chosen = new Set<string>();
    a.catalog.forEach((n, i) => {
      const name = pick(available, n);
      if (name === undefined || chosen.has(name)) return;
      const fits = target.catalogApps[name].filter((v) => meets.every((k) => v.kubernetes === undefined || semver.satisfies(k, v.kubernetes)));
      if (fits.length === 0) return;
      chosen.add(name);
      catalogApps.push(a.pin[i] ? { name, version: pick(fits, n).version } : i % 2 === 0 ? name : { name });
    });
    const ranges = ['>=1.0.0', '*', `>=${[...meets].sort(semver.compare)[0] ?? '1.20.0'} <2.0.0`];
    const customApps = Array.from({ length: a.custom }, (_, i) => ({
      name: `${prefix}-custom-${i}`, version: `1.${i}.0`, kubernetesVersions: pick(ranges, a.range + i),
    }));
    return { catalogApps, customApps };
  };
  const hasApps = (x: { catalogApps: unknown[]; customApps: unknown[] }) => x.catalogApps.length + x.customApps.length > 0;

  // The management cluster.
  const mb = bp.management;
  const mName = paddedName('m', mb.nameLength, names, 0);
  const mv = versions(mb, undefined);
  // ClusterClass clusters (topology) take neither controlPlane nor nodePools: Cluster API upgrades them from spec.topology.version.
  const mPools = mb.topology ? [] : pools(mb.pools, mName, mv.current, mv.target);
  // platform apps a fleet may list: not retired by the target (its retiredApps)
  const platformNames = Object.keys(target.platformApps).sort().filter((n) => !Object.prototype.hasOwnProperty.call(target.retiredApps ?? {}, n));
  const mApps = apps(mb.apps, [mv.current, mv.target], 'mgmt');
  const mProvider = pick(providers, mb.current);
  const management: any = {
    name: mName,
    provider: mProvider,
    kubernetesVersion: mv.current,
    ...(mv.pinned ? { targetKubernetesVersion: mv.pinned } : {}),
    ...(mb.topology ? { topology: true } : {}),
    ...(mb.topology ? {} : { nodePools: mPools }),
    platformApps: [...new Set(mb.platform.map((n) => pick(platformNames, n)))],
    ...mApps,
  };
  targets.set(mName, {
    version: mv.target, namespace: 'default', controlPlane: `${mName}-control-plane`, topology: mb.topology, pools: mPools.map((p) => p.name),
    provider: mProvider,
  });

  // Workspaces and their clusters.
  const wsCount = bp.size.workspaces.length;
  const workspaces: any[] = bp.size.workspaces.map((w, i) => ({
    bp: w, name: paddedName(`w${i}`, w.nameLength, names, i), clusters: [] as any[], meets: [] as string[],
  }));
  const layers = ['mgmt-preflight', 'mgmt-kommander', 'mgmt-platform-apps', ...(hasApps(mApps) ? ['mgmt-catalog-apps'] : [])];
  const waves = new Set<number>();
  bp.size.clusters.forEach((c, i) => {
    const ws = workspaces[c.workspace % wsCount];
    const name = paddedName(`c${i}`, c.nameLength, names, i + 7);
    if (c.attached) {
      const version = pick(supported, c.current);
      ws.clusters.push({
        name, type: 'attached', kubernetesVersion: version, ...(c.kubeConfig ? { kubeConfig: { secretRef: { name: `${name}.kubeconfig` } } } : {}),
      });
      ws.meets.push(version);
      return;
    }
    const v = versions(c, mv.target);
    const namespace = c.namespace ? `capi-${name}` : undefined;
    const topology = c.topology;
    const cPools = topology ? [] : pools(c.pools, name, v.current, v.target);
    const wave = pick(WAVES, c.wave);
    waves.add(wave);
    const provider = pick(providers, c.target + c.current);
    ws.clusters.push({
      name,
      ...(i % 3 === 0 ? { type: 'managed' } : {}),
      provider,
      ...(namespace ? { namespace } : {}),
      kubernetesVersion: v.current,
      ...(v.pinned ? { targetKubernetesVersion: v.pinned } : {}),
      ...(wave !== 1 || i % 2 === 0 ? { wave } : {}),
      ...(topology ? { topology: true } : {}),
      ...(c.controlPlaneName && !topology ? { controlPlane: { name: `${name}-cp`, ...(c.kubeConfig ? { machineTemplate: `${name}-cp-mt` } : {}) } } : {}),
      ...(!topology && (cPools.length > 0 || i % 2 === 0) ? { nodePools: cPools } : {}),
      ...(c.kubeConfig ? { kubeConfig: { secretRef: { name: `${name}-admin` } } } : {}),
    });
    ws.meets.push(v.current, v.target);
    targets.set(name, {
      version: v.target,
      namespace: namespace ?? '',
      controlPlane: c.controlPlaneName && !topology ? `${name}-cp` : `${name}-control-plane`,
      topology,
      pools: cPools.map((p) => p.name),
      provider,
    });
  });

  const fleetWorkspaces = workspaces.map((w, i) => {
    const wb = w.bp as Blueprint['size']['workspaces'][number];
    const namespace = wb.namespace ? `ns-${w.name}`.slice(0, 63).replace(/-+$/, '') : w.name;
    for (const c of w.clusters) if (c.type !== 'attached' && targets.get(c.name)!.namespace === '') targets.get(c.name)!.namespace = namespace;
    const wsApps = apps(wb.apps, w.meets, `w${i}`);
    const clusterNames: string[] = w.clusters.map((c: any) => c.name);
    const projects = wb.projects.map((p, j) => {
      const placed = p.placed === undefined ? undefined : [...new Set(p.placed.map((n) => pick(clusterNames, n)).filter((n) => n !== undefined))];
      return { name: `p${i}-${j}`, ...(placed ? { clusters: placed } : {}), ...apps(p.apps, w.meets, `p${i}-${j}`), placedOn: placed ?? clusterNames };
    });
    const platformApps = wb.platform === undefined ? undefined
      : [...new Set(wb.platform.map((n) => pick(platformNames, n)))]
        .map((name, k) => (wb.overrides && k === 0 ? { name, configOverrides: `${name}-overrides` } : name));

    // Layers this workspace must produce.
    const catalogLayer = hasApps(wsApps) || projects.some(hasApps);
    layers.push(`ws-${w.name}-platform-apps`, `ws-${w.name}-apps-ready`, ...(catalogLayer ? [`ws-${w.name}-catalog-apps`] : []));
    for (const c of clusterNames) {
      layers.push(`cluster-${c}-platform-apps`);
      if (hasApps(wsApps) || projects.some((p) => hasApps(p) && p.placedOn.includes(c))) layers.push(`cluster-${c}-catalog-apps`);
    }
    return {
      name: w.name,
      ...(wb.namespace ? { namespace } : {}),
      ...(platformApps ? { platformApps } : {}),
      ...wsApps,
      projects: projects.map(({ placedOn: _placedOn, ...p }) => p),
      clusters: w.clusters,
    };
  });

  if (konvoy) {
    layers.push('mgmt-capi-providers', 'mgmt-core-addons');
    for (const [name, t] of targets) {
      const prefix = name === mName ? 'mgmt' : `cluster-${name}`;
      // A managed cluster's premise is proven by a preflight layer of its own (the management cluster's by mgmt-preflight).
      if (name !== mName) layers.push(`${prefix}-preflight`, `${prefix}-core-addons`);
      // A managed cluster's ClusterResourceSet workloads are checked on it, before its Kubernetes moves (the management cluster's in its own layer).
      if (name !== mName && !helm && placeholderHasWorkloads(t.provider)) layers.push(`${prefix}-addons-ready`);
      if (t.topology) layers.push(`${prefix}-kubernetes`);
      else layers.push(`${prefix}-control-plane`, ...(t.pools.length > 0 ? [`${prefix}-node-pools`] : []));
    }
    layers.push(...[...waves].map((w) => `wave-${w}`));
  }
  // Rollout controls: holds where the Flux has a revision lock (kustomize-controller v0.19.0), soaks and failure budgets where a gate image runs their Jobs.
  const holdable = konvoy && (!kommander || kcAtLeast('0.19.0'))
    ? [...[...waves].sort((a, b) => a - b).map((w) => `wave-${w}`), ...[...targets.keys()].filter((n) => n !== mName).map((n) => `cluster-${n}`)] : [];
  const hold = [...new Set(bp.rollout.hold.map((n) => pick(holdable, n)).filter((h) => h !== undefined))];
  const waveControls = new Map<number, { wave: number; soak?: string; maxFailures?: number }>();
  if (konvoy && bp.flux.gateImage) {
    for (const w of bp.rollout.waves) {
      const wave = pick([...waves].sort((a, b) => a - b), w.wave);
      if (wave === undefined || waveControls.has(wave) || (w.soak === 0 && w.budget === 0)) continue;
      waveControls.set(wave, { wave, ...(w.soak > 0 ? { soak: ['90s', '2h'][w.soak - 1] } : {}), ...(w.budget > 0 ? { maxFailures: w.budget - 1 } : {}) });
      if (w.soak > 0) layers.push(`wave-${wave}-soak`);
    }
  }
  const rollout = hold.length + waveControls.size === 0 ? undefined
    : { ...(hold.length > 0 ? { hold } : {}), ...(waveControls.size > 0 ? { waves: [...waveControls.values()] } : {}) };

  // Flux.
  const fb = bp.flux;
  const sourceKinds = kommander
    ? (kcAtLeast('0.30.0') ? ['GitRepository', 'OCIRepository', 'Bucket'] : ['GitRepository', 'Bucket'])
    : ['GitRepository', 'OCIRepository', 'Bucket'];
  const p = fb.path === undefined ? undefined : fluxPath(fb.path);
  const fluxNamespace = fb.namespace ? (kommander ? 'kommander-layers' : 'fleet-hub') : (kommander ? 'kommander-flux' : 'flux-system');
  const flux = {
    mode: kommander ? 'kommander' : fb.source % 2 === 0 ? 'hub' : undefined,
    ...(fb.namespace ? { namespace: fluxNamespace } : {}),
    ...(!kommander && fb.mgmtKubeConfig ? { managementKubeConfig: { secretRef: { name: 'mgmt-admin.kubeconfig' } } } : {}),
    ...(fb.gateImage ? { gateImage: 'registry.example/kubectl:v1.22.8' } : {}),
    sourceRef: { kind: pick(sourceKinds, fb.source), name: 'fleet-src', ...(fb.sourceNamespace ? { namespace: 'sources' } : {}) },
    ...(fb.bootstrap ? { bootstrap: { name: 'fleet-root', ...(fb.sourceNamespace ? { namespace: 'sources' } : {}) } } : {}),
    ...(p ? { path: p.raw } : {}),
    interval: pick(DURATIONS, fb.interval),
    retryInterval: pick(DURATIONS, fb.retryInterval),
    timeout: pick(DURATIONS, fb.timeout),
  };
  const bootstrap = { name: fb.bootstrap ? 'fleet-root' : 'dkp-fleet', namespace: fb.bootstrap && fb.sourceNamespace ? 'sources' : fluxNamespace };
  // A backup's name must name this upgrade: the target release, dashed.
  const dashed = (v: string) => v.replace(/\./g, '-');
  const backup = [undefined, {}, { name: `pre-upgrade-${dashed(target.version)}` }, { namespace: 'velero' }][bp.backup] as
    { name?: string; namespace?: string } | undefined;
  const explicitDelivery = defaultDelivery !== 'clusterResourceSet' || bp.konvoySettings.explicitDelivery;
  const konvoySpec = !konvoy ? { enabled: false } : {
    ...(operator ? { providers: 'clusterApiOperator', ...(needsConfigMaps ? { providerComponents: 'configMaps' } : {}) } : {}),
    addons: helm
      ? { delivery: 'helmChartProxy', values: `./${ADDON_VALUES}` }
      : { ...(explicitDelivery ? { delivery: 'clusterResourceSet' } : {}), manifests: './addons' },
  };
  const fleet = {
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'generated' },
    spec: {
      release: target.version,
      ...(current ? { currentRelease: current.version } : {}),
      konvoy: konvoySpec,
      flux,
      ...(backup ? { preflight: { veleroBackup: backup } } : {}),
      management,
      workspaces: fleetWorkspaces,
      ...(rollout ? { rollout } : {}),
    },
  };
  return {
    fleet,
    expected: {
      layers: [...layers].sort(),
      targets: konvoy ? targets : new Map(),
      path: p?.normalized ?? './dist',
      capiContract: target.capiContract,
      kustomizationApiVersion: kommander && !kcAtLeast('1.0.0') ? 'kustomize.toolkit.fluxcd.io/v1beta2' : 'kustomize.toolkit.fluxcd.io/v1',
      bootstrap,
      ...(backup ? {
        backup: {
          name: backup.name ?? `dkp-fleet-${current ? `${dashed(current.version)}-to-` : ''}${dashed(target.version)}`,
          namespace: backup.namespace ?? 'kommander',
        },
      } : {}),
    },
    addonManifestsFor: konvoy && !helm ? [...new Set([...targets.values()].map((t) => t.provider))].sort() : [],
  };
}
