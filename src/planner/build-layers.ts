import { Release } from '../catalog/release';
import { Fleet, KonvoyCluster, ManagedCluster, MANAGEMENT_WORKSPACE_NAMESPACE, Workspace, WorkspaceCluster } from '../fleet/fleet';
import { MAX_NAME_LENGTH } from '../input/formats';
import { child, Problems, show } from '../input/problems';
import { DependencyGraph } from './graph';
import { Change, EMPTY_CONTENT, HealthCheck, Layer, LayerContent, LayerKind, LayerScope, LayerTarget, VersionPatch } from './layer';
import { AppsPlan, PlannedApp, ScopeApps } from './plan-apps';
import { ClusterAddons, KonvoyPlan, templateRef } from './plan-konvoy';
import { KubernetesMove } from './resolve-kubernetes';

/** A layer being built; `after` lists the layers it must follow (not yet reduced). */
interface Draft {
  readonly name: string;
  readonly kind: LayerKind;
  readonly scope: LayerScope;
  readonly target: LayerTarget;
  readonly content: LayerContent;
  readonly checks: readonly HealthCheck[];
  readonly changes: readonly Change[];
  readonly summary: string;
  readonly after: readonly string[];
}

export interface BuildInput {
  readonly fleet: Fleet;
  readonly release: Release;
  readonly current?: Release;
  readonly apps: AppsPlan;
  readonly moves: ReadonlyMap<string, KubernetesMove>;
  /** Present when Konvoy is upgraded. */
  readonly konvoy?: KonvoyPlan;
}

/** API version used to watch Kommander's HelmReleases: what its helm-controller serves. */
export function helmReleaseApiVersion(release: Release): string {
  const [major, minor] = release.flux.helmController.replace(/^v/, '').split('.').map(Number);
  if (major >= 1) return 'helm.toolkit.fluxcd.io/v2';
  return minor >= 37 ? 'helm.toolkit.fluxcd.io/v2beta2' : 'helm.toolkit.fluxcd.io/v2beta1';
}

/** Cluster API group versions of a contract (`v1beta1`): what the checks watch and the version objects are written as. */
export function clusterApiVersions(contract: string): { cluster: string; controlPlane: string } {
  return { cluster: `cluster.x-k8s.io/${contract}`, controlPlane: `controlplane.cluster.x-k8s.io/${contract}` };
}

const CLUSTER_APP_API_VERSION = 'apps.kommander.d2iq.io/v1alpha2';

class LayerBuilder {
  public readonly drafts: Draft[] = [];
  private readonly names = new Set<string>();

  public constructor(private readonly problems: Problems) {}

  /**
   * Adds a layer. Its name must fit a Kubernetes name (63 characters): if it does not, the
   * problem is reported at `nameField`, the input field the name is made from.
   */
  public add(d: Draft, nameField: string): void {
    if (d.name.length > MAX_NAME_LENGTH) {
      const base = d.name.length - MAX_NAME_LENGTH;
      this.problems.add(nameField, `makes the layer name ${show(d.name)} (${d.name.length} characters), over the ${MAX_NAME_LENGTH} `
        + `Kubernetes allows for a Kustomization; shorten it by ${base} character${base === 1 ? '' : 's'} or more`);
    }
    if (this.names.has(d.name)) {
      throw new Error(`internal: layer ${d.name} added twice`);
    }
    this.names.add(d.name);
    this.drafts.push(d);
  }
}

function helmReleaseChecks(apps: readonly PlannedApp[], apiVersion: string, cluster?: string): HealthCheck[] {
  return apps
    .filter((a) => cluster === undefined || a.clusters === undefined || a.clusters.includes(cluster))
    .flatMap((a) => a.helmReleases)
    .map((h) => ({
      apiVersion, kind: 'HelmRelease', name: h.name, namespace: h.namespace, expect: { type: 'helm-release', chartVersion: h.chartVersion }, applied: false,
    }));
}

function appContent(apps: readonly PlannedApp[]): LayerContent {
  return { ...EMPTY_CONTENT, appDeployments: apps.map((a) => a.deployment) };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/**
 * Builds every layer of the fleet (DESIGN §1) with its contents, checks and the layers it
 * must follow; the caller reduces the edges to direct dependencies.
 */
function draftLayers(input: BuildInput, problems: Problems): Draft[] {
  const { fleet, release, current, apps, moves, konvoy } = input;
  const b = new LayerBuilder(problems);
  const m = fleet.management;
  const hrApi = helmReleaseApiVersion(release);
  const mgmtTarget: LayerTarget = { cluster: m.name, management: true, kubeconfigSecret: fleet.flux.managementKubeConfigSecret };
  const mgmtScope: LayerScope = { type: 'management' };
  const clusterTarget = (c: WorkspaceCluster): LayerTarget => ({
    cluster: c.name,
    management: false,
    kubeconfigSecret: c.kubeconfigSecret,
    secretNamespace: c.type === 'managed' ? c.namespace : fleet.workspaces.find((w) => w.name === c.workspace)!.namespace,
  });
  const clusterScope = (c: WorkspaceCluster): LayerScope => ({
    type: 'cluster', cluster: c.name, workspace: c.workspace, clusterType: c.type, wave: c.type === 'managed' ? c.wave : undefined,
  });

  // 0. Preflight: the release's ClusterApps exist (Kommander's repository holds the release), and the backup completed.
  const clusterApps = new Set<string>([`kommander-${release.kommander.appVersion}`]);
  for (const scope of [apps.management, ...apps.workspaces.values()]) {
    for (const a of scope.platform) clusterApps.add(a.deployment.appRef.name);
  }
  const backup = fleet.preflight.veleroBackup;
  b.add({
    name: 'mgmt-preflight',
    kind: 'preflight',
    scope: mgmtScope,
    target: mgmtTarget,
    content: EMPTY_CONTENT,
    checks: [
      ...[...clusterApps].sort().map((name): HealthCheck => ({ apiVersion: CLUSTER_APP_API_VERSION, kind: 'ClusterApp', name, expect: { type: 'exists' }, applied: false })),
      ...(backup ? [{ apiVersion: 'velero.io/v1', kind: 'Backup', name: backup.name, namespace: backup.namespace, expect: { type: 'backup-completed' }, applied: false } as HealthCheck] : []),
    ],
    changes: [],
    summary: `prove that the ${release.version} ClusterApps exist on ${m.name}${backup ? ` and that Velero Backup ${backup.namespace}/${backup.name} completed` : ''}`,
    after: [],
  }, 'spec.management.name');

  // 1. Kommander: watched, never applied (its HelmReleases belong to Kommander's own Flux).
  const kommanderHrs = [
    { name: 'kommander', version: release.kommander.chartVersion },
    { name: 'kommander-appmanagement', version: release.kommander.chartVersion },
    ...(release.platformApps.kubefed?.helmReleases ?? []).filter((h) => h.name === 'kubefed').map((h) => ({ name: h.name, version: h.version })),
  ];
  b.add({
    name: 'mgmt-kommander',
    kind: 'kommander',
    scope: mgmtScope,
    target: mgmtTarget,
    content: appContent(apps.kommander),
    checks: kommanderHrs.map((h) => ({
      apiVersion: hrApi, kind: 'HelmRelease', name: h.name, namespace: MANAGEMENT_WORKSPACE_NAMESPACE, expect: { type: 'helm-release', chartVersion: h.version }, applied: false,
    })),
    changes: apps.kommander.length > 0 ? apps.kommander.map((a) => a.change)
      : [{ subject: 'Kommander (kommander app)', from: current?.kommander.appVersion, to: release.kommander.appVersion, note: 'watched: moved by its ClusterApps' }],
    summary: `Kommander ${current ? `${current.kommander.appVersion} -> ` : ''}${release.kommander.appVersion}`
      + `${release.kommander.chartVersion ? ` (chart ${release.kommander.chartVersion})` : ''}`,
    after: ['mgmt-preflight'],
  }, 'spec.management.name');

  // 2, 2b. Management cluster apps, in namespace kommander.
  b.add({
    name: 'mgmt-platform-apps',
    kind: 'platform-apps',
    scope: mgmtScope,
    target: mgmtTarget,
    content: appContent(apps.management.platform),
    checks: helmReleaseChecks(apps.management.platform, hrApi),
    changes: apps.management.platform.map((a) => a.change),
    summary: `${count(apps.management.platform.length, 'platform app')} on ${m.name} (namespace ${MANAGEMENT_WORKSPACE_NAMESPACE})`,
    after: ['mgmt-kommander'],
  }, 'spec.management.name');
  const appSinks = ['mgmt-platform-apps'];
  if (apps.management.catalog.length > 0) {
    b.add({
      name: 'mgmt-catalog-apps',
      kind: 'catalog-apps',
      scope: mgmtScope,
      target: mgmtTarget,
      content: appContent(apps.management.catalog),
      checks: helmReleaseChecks(apps.management.catalog, hrApi),
      changes: apps.management.catalog.map((a) => a.change),
      summary: `${count(apps.management.catalog.length, 'catalog or custom app')} on ${m.name} (namespace ${MANAGEMENT_WORKSPACE_NAMESPACE})`,
      after: ['mgmt-platform-apps'],
    }, 'spec.management.name');
    appSinks.push('mgmt-catalog-apps');
  }

  // 3, 4. Workspaces: AppDeployments on the management cluster, checked on every workspace cluster.
  for (const w of fleet.workspaces) {
    appSinks.push(addWorkspace(b, w, apps.workspaces.get(w.name)!, hrApi, mgmtTarget, clusterTarget, clusterScope));
  }
  if (!fleet.konvoy.enabled) {
    return b.drafts;
  }

  if (konvoy === undefined) {
    throw new Error('internal: Konvoy enabled without a Konvoy plan');
  }

  // 5-8. Konvoy on the management cluster.
  const providers = konvoy.providers;
  b.add({
    name: 'mgmt-capi-providers',
    kind: 'capi-providers',
    scope: mgmtScope,
    target: mgmtTarget,
    content: { ...EMPTY_CONTENT, providers },
    checks: providers.map((p) => ({
      apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: p.kind, name: p.name, namespace: p.namespace, expect: { type: 'provider', version: p.version }, applied: true,
    })),
    changes: konvoy.providerChanges,
    summary: `Cluster API providers on ${m.name}: ${providers.map((p) => `${p.kind.replace(/Provider$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()} `
      + `${p.name} ${p.version}`).join(', ')}`,
    after: appSinks,
  }, 'spec.management.name');
  b.add(addonsLayer('mgmt-core-addons', m.name, konvoy.addons.get(m.name)!, mgmtScope, mgmtTarget, 'mgmt-capi-providers'), 'spec.management.name');
  const mgmtLast = addKubernetesLayers(b, 'mgmt', m, moves.get(m.name), release, mgmtScope, mgmtTarget, 'mgmt-core-addons', 'spec.management.name');

  // 9-11. Managed clusters, wave by wave; a wave barrier gathers the last layer of each of its clusters.
  const managed = fleet.workspaces.flatMap((w) => w.clusters).filter((c): c is ManagedCluster => c.type === 'managed');
  const waves = [...new Set(managed.map((c) => c.wave))].sort((x, y) => x - y);
  let previous = mgmtLast;
  for (const wave of waves) {
    const lasts: string[] = [];
    for (const c of managed.filter((x) => x.wave === wave)) {
      const scope = clusterScope(c);
      const coreAddons = `cluster-${c.name}-core-addons`;
      b.add(addonsLayer(coreAddons, c.name, konvoy.addons.get(c.name)!, scope, mgmtTarget, previous), child(c.fieldPath, 'name'));
      lasts.push(addKubernetesLayers(b, `cluster-${c.name}`, c, moves.get(c.name), release, scope, mgmtTarget, coreAddons, child(c.fieldPath, 'name')));
    }
    const barrier = `wave-${wave}`;
    b.add({
      name: barrier,
      kind: 'wave',
      scope: { type: 'wave', wave },
      target: mgmtTarget,
      content: EMPTY_CONTENT,
      checks: [],
      changes: [],
      summary: `wave ${wave} done: ${count(lasts.length, 'cluster')} upgraded`,
      after: lasts,
    }, 'spec.workspaces');
    previous = barrier;
  }
  return b.drafts;
}

/** The core addons layer of a Konvoy cluster: its HelmChartProxies and ClusterResourceSets, on the management cluster. */
function addonsLayer(name: string, cluster: string, addons: ClusterAddons, scope: LayerScope, target: LayerTarget, after: string): Draft {
  const checks: HealthCheck[] = [
    ...addons.helmChartProxies.map((h): HealthCheck => ({
      apiVersion: 'addons.cluster.x-k8s.io/v1alpha1', kind: 'HelmChartProxy', name: h.name, namespace: h.namespace, expect: { type: 'helm-chart-proxy' }, applied: true,
    })),
    ...addons.clusterResourceSets.map((c): HealthCheck => ({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', name: c.name, namespace: c.namespace, expect: { type: 'resource-set' }, applied: true,
    })),
  ];
  const n = addons.helmChartProxies.length + addons.clusterResourceSets.length;
  return {
    name,
    kind: 'core-addons',
    scope,
    target,
    content: { ...EMPTY_CONTENT, helmChartProxies: addons.helmChartProxies, clusterResourceSets: addons.clusterResourceSets },
    checks,
    changes: addons.changes,
    summary: `${count(n, 'core addon')} of ${cluster}`,
    after: [after],
  };
}

/** Adds a workspace's app layers and their per-cluster checks; returns the workspace's final layer. */
function addWorkspace(
  b: LayerBuilder,
  w: Workspace,
  apps: ScopeApps,
  hrApi: string,
  mgmtTarget: LayerTarget,
  clusterTarget: (c: WorkspaceCluster) => LayerTarget,
  clusterScope: (c: WorkspaceCluster) => LayerScope,
): string {
  const nameField = child(w.fieldPath, 'name');
  const scope: LayerScope = { type: 'workspace', workspace: w.name };
  const platform = `ws-${w.name}-platform-apps`;
  b.add({
    name: platform,
    kind: 'platform-apps',
    scope,
    target: mgmtTarget,
    content: appContent(apps.platform),
    checks: [],
    changes: apps.platform.map((a) => a.change),
    summary: `${count(apps.platform.length, 'platform app')} of workspace ${w.name} (namespace ${w.namespace})`,
    after: ['mgmt-platform-apps'],
  }, nameField);
  const members: string[] = [platform];
  const platformChecks: string[] = [];
  for (const c of w.clusters) {
    const name = `cluster-${c.name}-platform-apps`;
    b.add({
      name,
      kind: 'platform-apps',
      scope: clusterScope(c),
      target: clusterTarget(c),
      content: EMPTY_CONTENT,
      checks: helmReleaseChecks(apps.platform, hrApi, c.name),
      changes: [],
      summary: `${c.name} runs the platform apps of workspace ${w.name}`,
      after: [platform],
    }, child(c.fieldPath, 'name'));
    platformChecks.push(name);
  }
  members.push(...platformChecks);
  if (apps.catalog.length > 0) {
    const catalog = `ws-${w.name}-catalog-apps`;
    b.add({
      name: catalog,
      kind: 'catalog-apps',
      scope,
      target: mgmtTarget,
      content: appContent(apps.catalog),
      checks: [],
      changes: apps.catalog.map((a) => a.change),
      summary: `${count(apps.catalog.length, 'catalog or custom app')} of workspace ${w.name} and its projects`,
      after: [platform, ...platformChecks],
    }, nameField);
    members.push(catalog);
    for (const c of w.clusters) {
      const checks = helmReleaseChecks(apps.catalog, hrApi, c.name);
      if (checks.length === 0) continue;
      const name = `cluster-${c.name}-catalog-apps`;
      b.add({
        name,
        kind: 'catalog-apps',
        scope: clusterScope(c),
        target: clusterTarget(c),
        content: EMPTY_CONTENT,
        checks,
        changes: [],
        summary: `${c.name} runs the catalog apps of workspace ${w.name}`,
        after: [catalog],
      }, child(c.fieldPath, 'name'));
      members.push(name);
    }
  }
  const ready = `ws-${w.name}-apps-ready`;
  b.add({
    name: ready,
    kind: 'apps-ready',
    scope,
    target: mgmtTarget,
    content: EMPTY_CONTENT,
    checks: [],
    changes: [],
    summary: `every app of workspace ${w.name} upgraded`,
    after: members,
  }, nameField);
  return ready;
}

/** Adds the Kubernetes version layers of a Konvoy cluster; returns its last layer. */
function addKubernetesLayers(
  b: LayerBuilder,
  prefix: string,
  c: KonvoyCluster,
  move: KubernetesMove | undefined,
  release: Release,
  scope: LayerScope,
  target: LayerTarget,
  after: string,
  nameField: string,
): string {
  const api = clusterApiVersions(release.capiContract);
  const to = move?.target ?? c.kubernetesVersion;
  const v = `v${to}`;
  if (c.topology) {
    const name = `${prefix}-kubernetes`;
    const patch: VersionPatch = { kind: 'Cluster', name: c.name, namespace: c.namespace, version: v };
    b.add({
      name,
      kind: 'kubernetes',
      scope,
      target,
      content: { ...EMPTY_CONTENT, versionPatches: [patch] },
      checks: [{ apiVersion: api.cluster, kind: 'Cluster', name: c.name, namespace: c.namespace, expect: { type: 'topology', version: v }, applied: true }],
      changes: [{ subject: `Cluster ${c.namespace}/${c.name} (topology)`, from: c.kubernetesVersion, to }],
      summary: `Kubernetes of ${c.name} (ClusterClass) ${c.kubernetesVersion} -> ${to}`,
      after: [after],
    }, nameField);
    return name;
  }
  const cp = `${prefix}-control-plane`;
  const tpl = (ref: typeof c.controlPlane.machineTemplate) => (ref === undefined ? undefined : templateRef(ref, c, release));
  const kcp: VersionPatch = { kind: 'KubeadmControlPlane', name: c.controlPlane.name, namespace: c.namespace, version: v, machineTemplate: tpl(c.controlPlane.machineTemplate) };
  b.add({
    name: cp,
    kind: 'control-plane',
    scope,
    target,
    content: { ...EMPTY_CONTENT, versionPatches: [kcp] },
    checks: [{ apiVersion: api.controlPlane, kind: 'KubeadmControlPlane', name: kcp.name, namespace: kcp.namespace, expect: { type: 'control-plane', version: v }, applied: true }],
    changes: [
      { subject: `KubeadmControlPlane ${kcp.namespace}/${kcp.name}`, from: c.kubernetesVersion, to },
      ...(kcp.machineTemplate ? [{ subject: `KubeadmControlPlane ${kcp.namespace}/${kcp.name} machine template`, to: `${kcp.machineTemplate.kind} ${kcp.machineTemplate.name}` }] : []),
    ],
    summary: `control plane of ${c.name} ${c.kubernetesVersion} -> ${to}`,
    after: [after],
  }, nameField);
  const pools = c.nodePools.filter((p) => !p.removed);
  if (pools.length === 0) {
    return cp;
  }
  const np = `${prefix}-node-pools`;
  const patches: VersionPatch[] = pools.map((p) => ({ kind: 'MachineDeployment', name: p.name, namespace: c.namespace, version: v, machineTemplate: tpl(p.machineTemplate) }));
  b.add({
    name: np,
    kind: 'node-pools',
    scope,
    target,
    content: { ...EMPTY_CONTENT, versionPatches: patches },
    checks: patches.map((p) => ({ apiVersion: api.cluster, kind: 'MachineDeployment', name: p.name, namespace: p.namespace, expect: { type: 'machine-deployment', version: v }, applied: true })),
    changes: patches.flatMap((p, i) => [
      { subject: `MachineDeployment ${c.namespace}/${p.name}`, from: pools[i].kubernetesVersion, to },
      ...(p.machineTemplate ? [{ subject: `MachineDeployment ${c.namespace}/${p.name} machine template`, to: `${p.machineTemplate.kind} ${p.machineTemplate.name}` }] : []),
    ]),
    summary: `${count(pools.length, 'node pool')} of ${c.name} -> ${to}`,
    after: [cp],
  }, nameField);
  return np;
}

/**
 * Two layers must never write the same object: Flux applies them with one field manager, so
 * the second would strip what the first set. Names come from the fleet (clusters, pools, apps,
 * addon folders), so a collision is a problem of the input, reported at the cluster or workspace.
 */
function checkCollisions(drafts: readonly Draft[], problems: Problems): void {
  const seen = new Map<string, string>();
  for (const d of drafts) {
    const c = d.content;
    const objects = [
      ...c.appDeployments.map((a) => `AppDeployment ${a.namespace}/${a.name}`),
      ...c.versionPatches.map((p) => `${p.kind} ${p.namespace}/${p.name}`),
      ...c.helmChartProxies.map((h) => `HelmChartProxy ${h.namespace}/${h.name}`),
      ...c.clusterResourceSets.map((s) => `ClusterResourceSet ${s.namespace}/${s.name}`),
    ];
    for (const o of objects) {
      const key = `${d.target.cluster}|${o}`;
      const other = seen.get(key);
      if (other !== undefined && other !== d.name) {
        problems.add(d.scope.type === 'workspace' ? `spec.workspaces[${d.scope.workspace}]` : 'spec.workspaces',
          `${o} would be written by two layers, ${other} and ${d.name}: names collide (an addon folder, app or cluster name); rename one`);
      }
      seen.set(key, d.name);
    }
  }
}

/**
 * Builds the layers and orders them: dependencies reduced to direct ones (sorted by name),
 * layers in topological order.
 *
 * @throws Error when the drafts have a cycle (a planner bug: cycles are impossible by construction)
 */
export function buildLayers(input: BuildInput, problems: Problems): Layer[] {
  const drafts = draftLayers(input, problems);
  checkCollisions(drafts, problems);
  const graph = new DependencyGraph();
  for (const d of drafts) graph.addNode(d.name);
  for (const d of drafts) {
    for (const a of d.after) graph.addEdge(d.name, a);
  }
  graph.reduce();
  const byName = new Map(drafts.map((d) => [d.name, d]));
  return graph.topologicalOrder().map((name) => {
    const { after: _after, ...d } = byName.get(name)!;
    return { ...d, dependsOn: graph.dependencies(name) };
  });
}

