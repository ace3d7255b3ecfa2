import * as semver from 'semver';
import { AppDeploymentSpec, Change } from './layer';
import { KubernetesMove } from './resolve-kubernetes';
import { Release } from '../catalog/release';
import { CatalogAppRef, CustomApp, Fleet, MANAGEMENT_WORKSPACE_NAMESPACE, PlatformAppRef, Workspace } from '../fleet/fleet';
import { child, Problems, show } from '../input/problems';
import { suggest } from '../input/schema';

/** A HelmRelease an app renders, checked on the clusters the app runs on. */
export interface HelmReleaseCheck {
  readonly name: string;
  readonly namespace: string;
  /** @default - unknown: the check is ready-only */
  readonly chartVersion?: string;
}

export interface PlannedApp {
  readonly deployment: AppDeploymentSpec;
  readonly helmReleases: readonly HelmReleaseCheck[];
  readonly change: Change;
  /** Workspace clusters the app runs on. @default - every cluster of its workspace */
  readonly clusters?: readonly string[];
}

export interface ScopeApps {
  readonly platform: readonly PlannedApp[];
  /** Catalog and custom apps, of the workspace and of its projects. */
  readonly catalog: readonly PlannedApp[];
}

export interface AppsPlan {
  /** Kommander's own AppDeployments (spec.kommander.appDeployments). */
  readonly kommander: readonly PlannedApp[];
  readonly management: ScopeApps;
  readonly workspaces: ReadonlyMap<string, ScopeApps>;
}

/** The Kubernetes versions an app meets on one cluster: before and after the upgrade. */
interface ClusterVersions {
  readonly cluster: string;
  readonly versions: readonly string[];
}

/** `record[key]` when the record has it as its own field: app names must not reach Object.prototype (`constructor`). */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function clusterVersions(name: string, current: string, move: KubernetesMove | undefined): ClusterVersions {
  return { cluster: name, versions: [...new Set([current, move?.target ?? current])] };
}

function platformApps(
  refs: readonly PlatformAppRef[] | undefined,
  defaults: readonly string[] | undefined,
  listAt: string,
  namespace: string,
  release: Release,
  current: Release | undefined,
  problems: Problems,
): PlannedApp[] {
  // Where a problem with an app is reported: its entry, or the list's field for a release default.
  let list: { readonly ref: PlatformAppRef; readonly at: string }[];
  if (refs !== undefined) {
    list = refs.map((ref) => ({ ref, at: child(ref.fieldPath, 'name') }));
  } else if (defaults !== undefined) {
    list = defaults.map((name) => ({ ref: { name, fieldPath: listAt }, at: listAt }));
  } else {
    problems.add(listAt, `required: release ${release.version} does not record which platform apps run here by default (unknown); `
      + 'list the platform apps enabled on this cluster');
    return [];
  }
  const out: PlannedApp[] = [];
  for (const { ref, at } of list) {
    const app = own(release.platformApps, ref.name);
    const replaced = own(release.replacedApps, ref.name);
    if (replaced) {
      problems.add(at, `${show(ref.name)} is not a platform app of release ${release.version}: it was replaced by ${show(replaced.by)} in ${replaced.since} `
        + `(${replaced.source}); list ${show(replaced.by)} instead`);
      continue;
    }
    const retired = own(release.retiredApps, ref.name);
    if (retired) {
      problems.add(at, `${show(ref.name)} must not be deployed as a platform app from DKP ${retired.since}: ${retired.step} (${retired.source}); `
        + 'remove it from this list');
      continue;
    }
    if (app === undefined) {
      const hint = suggest(ref.name, Object.keys(release.platformApps));
      problems.add(at, `${show(ref.name)} is not a platform app of release ${release.version}`
        + `${hint ? ` (did you mean "${hint}"?)` : ''}; its platform apps are listed in ${release.source}`);
      continue;
    }
    const was = own(current?.platformApps, ref.name);
    const from = was?.version;
    const notes = [
      ...(was !== undefined && was.type !== app.type ? [`type ${was.type} -> ${app.type}`] : []),
      ...(app.helmReleases === undefined || app.helmReleases.length === 0 ? ['no HelmRelease to check'] : []),
    ];
    out.push({
      deployment: {
        name: ref.name, namespace, appRef: { kind: 'ClusterApp', name: `${ref.name}-${app.version}` }, configOverrides: ref.configOverrides,
      },
      helmReleases: (app.helmReleases ?? []).map((h) => ({ name: h.name, namespace, chartVersion: h.version })),
      change: { subject: `AppDeployment ${namespace}/${ref.name}`, from, to: app.version, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) },
    });
  }
  return out;
}

function catalogApp(ref: CatalogAppRef, namespace: string, clusters: readonly ClusterVersions[], release: Release, problems: Problems): PlannedApp | undefined {
  const versions = own(release.catalogApps, ref.name);
  if (versions === undefined) {
    const hint = suggest(ref.name, Object.keys(release.catalogApps));
    problems.add(child(ref.fieldPath, 'name'), `${show(ref.name)} is not a catalog app of release ${release.version}`
      + `${hint ? ` (did you mean "${hint}"?)` : ''}; `
      + `catalog apps: ${Object.keys(release.catalogApps).join(', ') || 'none'}`);
    return undefined;
  }
  const supports = (range: string | undefined, k8s: string) => range === undefined || semver.satisfies(k8s, range);
  const fits = (v: { kubernetes?: string }) => clusters.every((c) => c.versions.every((k) => supports(v.kubernetes, k)));
  const compatible = versions.filter(fits).map((v) => v.version);
  let chosen: string | undefined;
  if (ref.version !== undefined) {
    const pinned = versions.find((v) => v.version === ref.version);
    if (pinned === undefined) {
      problems.add(child(ref.fieldPath, 'version'), `${show(ref.version)} is not a version of catalog app ${show(ref.name)} in release ${release.version}; `
        + `versions: ${versions.map((v) => v.version).join(', ')}`);
      return undefined;
    }
    if (!fits(pinned)) {
      const bad = clusters.flatMap((c) => c.versions.filter((k) => !supports(pinned.kubernetes, k)).map((k) => `${c.cluster} (${k})`));
      problems.add(child(ref.fieldPath, 'version'), `${ref.name} ${ref.version} supports Kubernetes ${show(pinned.kubernetes)}, not ${bad.join(', ')}; `
        + (compatible.length > 0
          ? `versions that work on every cluster: ${compatible.join(', ')}`
          : 'no version of it in this release works on every cluster'));
      return undefined;
    }
    chosen = pinned.version;
  } else {
    chosen = [...compatible].sort(semver.rcompare)[0];
    if (chosen === undefined) {
      problems.add(child(ref.fieldPath, 'name'), `no version of catalog app ${show(ref.name)} in release ${release.version} `
        + 'supports the Kubernetes versions of '
        + `${clusters.map((c) => `${c.cluster} (${c.versions.join(' -> ')})`).join(', ')}; versions: `
        + versions.map((v) => `${v.version} (${v.kubernetes ?? 'any'})`).join(', '));
      return undefined;
    }
  }
  return {
    deployment: { name: ref.name, namespace, appRef: { kind: 'App', name: `${ref.name}-${chosen}` }, configOverrides: ref.configOverrides },
    // DKP catalog apps render one HelmRelease named after the app, chart version = app version
    // (mesosphere/dkp-catalog-applications services/<app>/<version>/<app>.yaml, verified for every 2.1-2.4 app).
    helmReleases: [{ name: ref.name, namespace, chartVersion: chosen }],
    change: { subject: `AppDeployment ${namespace}/${ref.name}`, to: chosen, note: ref.version === undefined ? 'newest compatible version' : undefined },
  };
}

function customApp(app: CustomApp, namespace: string, clusters: readonly ClusterVersions[], problems: Problems): PlannedApp | undefined {
  const bad = clusters.flatMap((c) => c.versions.filter((k) => !semver.satisfies(k, app.kubernetesVersions)).map((k) => `${c.cluster} (${k})`));
  if (bad.length > 0) {
    problems.add(child(app.fieldPath, 'kubernetesVersions'), `custom app ${show(app.name)} ${app.version} supports Kubernetes ${show(app.kubernetesVersions)}, `
      + `not ${bad.join(', ')}; publish a version that supports them and list it here`);
    return undefined;
  }
  return {
    deployment: { name: app.name, namespace, appRef: { kind: 'App', name: `${app.name}-${app.version}` }, configOverrides: app.configOverrides },
    // A custom app's HelmRelease is named after its AppDeployment (${releaseName}); its chart version is the user's.
    helmReleases: [{ name: app.name, namespace }],
    change: { subject: `AppDeployment ${namespace}/${app.name}`, to: app.version, note: 'custom app' },
  };
}

interface AppList {
  readonly namespace: string;
  readonly catalog: readonly CatalogAppRef[];
  readonly custom: readonly CustomApp[];
  /** The clusters these apps run on. */
  readonly clusters: readonly ClusterVersions[];
  /** Set when the apps run on some clusters of the workspace only (a project's placement). */
  readonly placement?: readonly string[];
}

function catalogApps(lists: readonly AppList[], release: Release, problems: Problems): PlannedApp[] {
  const out: PlannedApp[] = [];
  for (const l of lists) {
    const planned = [
      ...l.catalog.map((ref) => catalogApp(ref, l.namespace, l.clusters, release, problems)),
      ...l.custom.map((app) => customApp(app, l.namespace, l.clusters, problems)),
    ];
    for (const a of planned) {
      if (a) out.push(l.placement === undefined ? a : { ...a, clusters: l.placement });
    }
  }
  return out;
}

function workspaceApps(
  w: Workspace, moves: ReadonlyMap<string, KubernetesMove>, release: Release, current: Release | undefined, problems: Problems,
): ScopeApps {
  const clusters = w.clusters.map((c) => clusterVersions(c.name, c.kubernetesVersion, moves.get(c.name)));
  return {
    platform: platformApps(w.platformApps, release.defaultPlatformApps.workspace, child(w.fieldPath, 'platformApps'), w.namespace, release, current, problems),
    catalog: catalogApps([
      { namespace: w.namespace, catalog: w.catalogApps, custom: w.customApps, clusters },
      ...w.projects.map((p) => ({
        namespace: p.namespace,
        catalog: p.catalogApps,
        custom: p.customApps,
        clusters: p.clusters === undefined ? clusters : clusters.filter((c) => p.clusters!.includes(c.cluster)),
        placement: p.clusters,
      })),
    ], release, problems),
  };
}

/**
 * Decides every AppDeployment of the fleet: platform apps at the release's versions (the
 * release's default set unless a list is given), catalog apps at the pinned or newest
 * version that supports every cluster they run on before and after the upgrade, and custom
 * apps whose declared Kubernetes range covers those versions.
 */
export function planApps(
  fleet: Fleet, release: Release, current: Release | undefined, moves: ReadonlyMap<string, KubernetesMove>, problems: Problems,
): AppsPlan {
  const m = fleet.management;
  const mgmtClusters = [clusterVersions(m.name, m.kubernetesVersion, moves.get(m.name))];
  const management: ScopeApps = {
    platform: platformApps(m.platformApps, release.defaultPlatformApps.management, child(m.fieldPath, 'platformApps'),
      MANAGEMENT_WORKSPACE_NAMESPACE, release, current, problems),
    catalog: catalogApps(
      [{ namespace: MANAGEMENT_WORKSPACE_NAMESPACE, catalog: m.catalogApps, custom: m.customApps, clusters: mgmtClusters }], release, problems,
    ),
  };
  const workspaces = new Map(fleet.workspaces.map((w) => [w.name, workspaceApps(w, moves, release, current, problems)]));
  const kommander = fleet.kommanderAppDeployments.length === 0 ? []
    : platformApps(fleet.kommanderAppDeployments, undefined, 'spec.kommander.appDeployments', MANAGEMENT_WORKSPACE_NAMESPACE, release, current, problems);
  return { kommander, management, workspaces };
}
