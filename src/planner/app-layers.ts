import { EMPTY_CONTENT, HealthCheck, LayerScope } from './layer';
import { appContent, BuildInput, count, helmReleaseChecks, LayerBuilder, Targets } from './layer-builder';
import { ScopeApps } from './plan-apps';
import { templateRef } from './plan-konvoy';
import { premiseChecks } from './plan-premises';
import { CLUSTER_APP_API_VERSION, helmReleaseApiVersion, VELERO_BACKUP_API_VERSION } from '../catalog/api-versions';
import { managedClusters, MANAGEMENT_WORKSPACE_NAMESPACE, Workspace } from '../fleet/fleet';
import { child } from '../input/problems';

/** The new machine templates the Kubernetes layers point at: they must exist before anything rolls onto them. */
function machineTemplateChecks(input: BuildInput): HealthCheck[] {
  if (!input.fleet.konvoy.enabled) return [];
  const clusters = [input.fleet.management, ...managedClusters(input.fleet)];
  // Read before the providers move: in the API version the current release serves.
  const served = input.current ?? input.release;
  const refs = clusters.flatMap((c) => [c.controlPlane.machineTemplate, ...c.nodePools.filter((p) => !p.removed).map((p) => p.machineTemplate)]
    .flatMap((ref) => (ref === undefined ? [] : [templateRef(ref, c, served)])));
  const seen = new Map(refs.map((r) => [`${r.apiVersion}/${r.kind}/${r.namespace}/${r.name}`, r]));
  return [...seen.values()].map((r) => ({
    apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace, expect: { type: 'exists' }, applied: false,
  }));
}

/** The Secrets the user creates for ClusterResourceSets (their content is never in dist/): they must exist before any layer starts. */
function resourceSetSecretChecks(input: BuildInput): HealthCheck[] {
  return [...(input.konvoy?.addons.values() ?? [])].flatMap((a) => a.clusterResourceSets)
    .flatMap((s) => (s.secret ? [s.secret] : []))
    .map((s): HealthCheck => ({ apiVersion: 'v1', kind: 'Secret', name: s.name, namespace: s.namespace, expect: { type: 'exists' }, applied: false }));
}

/**
 * Adds the layers that come before any Konvoy layer (DESIGN §1, 0-4): preflight, Kommander,
 * the management cluster's apps, and each workspace's apps with their per-cluster checks.
 *
 * @returns the last app layers: every Konvoy layer comes after all of them
 */
export function addAppLayers(b: LayerBuilder, input: BuildInput, t: Targets): string[] {
  const { fleet, release, current, apps } = input;
  const m = fleet.management;
  const hrApi = helmReleaseApiVersion(release);

  // 0. Preflight: the release's ClusterApps exist (Kommander's repository holds the release), and the backup completed.
  const clusterApps = new Set<string>([`kommander-${release.kommander.appVersion}`]);
  for (const scope of [apps.management, ...apps.workspaces.values()]) {
    for (const a of scope.platform) clusterApps.add(a.deployment.appRef.name);
  }
  const backup = fleet.preflight.veleroBackup;
  const backupCheck: HealthCheck[] = backup ? [{
    apiVersion: VELERO_BACKUP_API_VERSION, kind: 'Backup', name: backup.name, namespace: backup.namespace, expect: { type: 'backup-completed' }, applied: false,
  }] : [];
  b.add({
    name: 'mgmt-preflight',
    kind: 'preflight',
    scope: t.managementScope,
    target: t.management,
    content: EMPTY_CONTENT,
    checks: [
      ...[...clusterApps].sort().map((name): HealthCheck => ({
        apiVersion: CLUSTER_APP_API_VERSION, kind: 'ClusterApp', name, expect: { type: 'exists' }, applied: false,
      })),
      ...backupCheck,
      ...machineTemplateChecks(input),
      ...resourceSetSecretChecks(input),
      ...(input.konvoy?.providers.premises ?? []),
      ...(fleet.konvoy.enabled ? premiseChecks(m, input.moves.get(m.name), current ?? release) : []),
    ],
    changes: [],
    summary: `prove that the ${release.version} ClusterApps exist on ${m.name}`
      + `${backup ? `, that Velero Backup ${backup.namespace}/${backup.name} completed` : ''}`
      + `${fleet.konvoy.enabled ? ` and that ${m.name} runs Kubernetes ${m.kubernetesVersion} (or already the target)` : ''}`,
    after: [],
    externalDependsOn: [fleet.flux.bootstrap],
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
    scope: t.managementScope,
    target: t.management,
    content: appContent(apps.kommander),
    checks: kommanderHrs.map((h) => ({
      apiVersion: hrApi, kind: 'HelmRelease', name: h.name, namespace: MANAGEMENT_WORKSPACE_NAMESPACE,
      expect: { type: 'helm-release', chartVersion: h.version }, applied: false,
    })),
    changes: apps.kommander.length > 0 ? apps.kommander.map((a) => a.change)
      : [{
        subject: 'Kommander (kommander app)', from: current?.kommander.appVersion, to: release.kommander.appVersion, note: 'watched: moved by its ClusterApps',
      }],
    summary: `Kommander ${current ? `${current.kommander.appVersion} -> ` : ''}${release.kommander.appVersion}`
      + `${release.kommander.chartVersion ? ` (chart ${release.kommander.chartVersion})` : ''}`,
    after: ['mgmt-preflight'],
  }, 'spec.management.name');

  // 2, 2b. Management cluster apps, in namespace kommander.
  b.add({
    name: 'mgmt-platform-apps',
    kind: 'platform-apps',
    scope: t.managementScope,
    target: t.management,
    content: appContent(apps.management.platform),
    checks: helmReleaseChecks(apps.management.platform, hrApi),
    changes: apps.management.platform.map((a) => a.change),
    summary: `${count(apps.management.platform.length, 'platform app')} on ${m.name} (namespace ${MANAGEMENT_WORKSPACE_NAMESPACE})`,
    after: ['mgmt-kommander'],
  }, 'spec.management.name');
  const sinks = ['mgmt-platform-apps'];
  if (apps.management.catalog.length > 0) {
    b.add({
      name: 'mgmt-catalog-apps',
      kind: 'catalog-apps',
      scope: t.managementScope,
      target: t.management,
      content: appContent(apps.management.catalog),
      checks: helmReleaseChecks(apps.management.catalog, hrApi),
      changes: apps.management.catalog.map((a) => a.change),
      summary: `${count(apps.management.catalog.length, 'catalog or custom app')} on ${m.name} (namespace ${MANAGEMENT_WORKSPACE_NAMESPACE})`,
      after: ['mgmt-platform-apps'],
    }, 'spec.management.name');
    sinks.push('mgmt-catalog-apps');
  }

  // 3, 4. Workspaces: AppDeployments on the management cluster, checked on every workspace cluster.
  for (const w of fleet.workspaces) {
    sinks.push(addWorkspace(b, w, apps.workspaces.get(w.name)!, hrApi, t));
  }
  return sinks;
}

/** Adds a workspace's app layers and their per-cluster checks; returns the workspace's final layer. */
function addWorkspace(b: LayerBuilder, w: Workspace, apps: ScopeApps, hrApi: string, t: Targets): string {
  const nameField = child(w.fieldPath, 'name');
  const scope: LayerScope = { type: 'workspace', workspace: w.name };
  const platform = `ws-${w.name}-platform-apps`;
  b.add({
    name: platform,
    kind: 'platform-apps',
    scope,
    target: t.management,
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
      scope: t.clusterScope(c),
      target: t.cluster(c),
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
      target: t.management,
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
        scope: t.clusterScope(c),
        target: t.cluster(c),
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
    target: t.management,
    content: EMPTY_CONTENT,
    checks: [],
    changes: [],
    summary: `every app of workspace ${w.name} upgraded`,
    after: members,
  }, nameField);
  return ready;
}
