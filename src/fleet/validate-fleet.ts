import * as path from 'path';
import {
  ADDON_DELIVERIES, AddonDelivery, AttachedCluster, CatalogAppRef, CLUSTER_TYPES, ControlPlane, CustomApp, Fleet, FLUX_MODES, FluxMode,
  INFRASTRUCTURE_PROVIDERS, InfrastructureProvider, MachineTemplateRef, ManagedCluster, ManagementCluster, MANAGEMENT_WORKSPACE_NAMESPACE, NodePool,
  PlatformAppRef, Project, PROVIDER_COMPONENTS_SOURCES, ProviderComponentsSource, SOURCE_KINDS, SourceKind, Workspace, WorkspaceCluster,
} from './fleet';
import {
  appVersion, dnsLabel, dnsSubdomain, duration, kubernetesVersion, normalizeRepositoryPath, releaseVersion, repositoryPath, versionRange,
} from '../input/formats';
import { child, Problems, show } from '../input/problems';
import { boolean, INVALID, integer, list, object, oneOf, optional, required, string, stringOr, Validator } from '../input/schema';

export const FLEET_API_VERSION = 'dkp-fleet/v1alpha1';

// ---------------------------------------------------------------------------------------
// The fleet file as written (raw form): only what the user typed, checked field by field.
// ---------------------------------------------------------------------------------------

interface RawSecretRef { readonly secretRef: { readonly name: string } }
interface RawAppRef { readonly name: string; readonly configOverrides?: string }
interface RawCatalogApp extends RawAppRef { readonly version?: string }
interface RawCustomApp extends RawAppRef { readonly version: string; readonly kubernetesVersions: string }
interface RawControlPlane { readonly name?: string; readonly machineTemplate?: MachineTemplateRef }
interface RawNodePool { readonly name: string; readonly kubernetesVersion?: string; readonly machineTemplate?: MachineTemplateRef; readonly removed?: boolean }
interface RawKonvoy {
  readonly enabled?: boolean;
  readonly providerComponents?: ProviderComponentsSource;
  readonly addons?: {
    readonly delivery?: AddonDelivery;
    readonly clusterResourceSetAddons?: string[];
    readonly manifests?: string;
    readonly values?: string;
  };
}

interface RawManagement {
  readonly name: string;
  readonly provider: InfrastructureProvider;
  readonly namespace?: string;
  readonly kubernetesVersion: string;
  readonly targetKubernetesVersion?: string;
  readonly topology?: boolean;
  readonly controlPlane?: RawControlPlane;
  readonly nodePools?: RawNodePool[];
  readonly platformApps?: RawAppRef[];
  readonly catalogApps?: RawCatalogApp[];
  readonly customApps?: RawCustomApp[];
}

interface RawManagedCluster {
  readonly name: string;
  readonly type?: 'managed';
  readonly provider: InfrastructureProvider;
  readonly namespace?: string;
  readonly kubernetesVersion: string;
  readonly targetKubernetesVersion?: string;
  readonly wave?: number;
  readonly topology?: boolean;
  readonly controlPlane?: RawControlPlane;
  readonly nodePools?: RawNodePool[];
  readonly kubeConfig?: RawSecretRef;
}

interface RawRemovedCluster {
  readonly name: string;
  readonly removed: true;
}

interface RawAttachedCluster {
  readonly name: string;
  readonly type: 'attached';
  readonly kubernetesVersion: string;
  readonly kubeConfig?: RawSecretRef;
}

interface RawProject {
  readonly name: string;
  readonly namespace?: string;
  readonly clusters?: string[];
  readonly catalogApps?: RawCatalogApp[];
  readonly customApps?: RawCustomApp[];
}

interface RawWorkspace {
  readonly name: string;
  readonly namespace?: string;
  readonly platformApps?: RawAppRef[];
  readonly catalogApps?: RawCatalogApp[];
  readonly customApps?: RawCustomApp[];
  readonly projects?: RawProject[];
  readonly clusters?: (RawManagedCluster | RawAttachedCluster | RawRemovedCluster)[];
}

interface RawFlux {
  readonly mode?: FluxMode;
  readonly namespace?: string;
  readonly managementKubeConfig?: RawSecretRef;
  readonly gateImage?: string;
  readonly sourceRef?: { readonly kind?: SourceKind; readonly name: string; readonly namespace?: string };
  readonly path?: string;
  readonly interval?: string;
  readonly retryInterval?: string;
  readonly timeout?: string;
}

interface RawFleet {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly release: string;
    readonly currentRelease?: string;
    readonly catalog?: string;
    readonly konvoy?: RawKonvoy;
    readonly kommander?: { readonly appDeployments?: RawAppRef[] };
    readonly flux?: RawFlux;
    readonly preflight?: { readonly veleroBackup?: { readonly name: string; readonly namespace?: string } };
    readonly management: RawManagement;
    readonly workspaces?: RawWorkspace[];
    readonly acknowledgeRemovals?: string[];
  };
}

const name = dnsLabel;
const secretRef = (): Validator<RawSecretRef> => object<RawSecretRef>({ secretRef: required(object({ name: required(dnsSubdomain()) })) });
const appRef = (): Validator<RawAppRef> =>
  stringOr((s) => ({ name: s }), name(), object<RawAppRef>({ name: required(name()), configOverrides: optional(dnsSubdomain()) }), 'an app name or a mapping');
const catalogApp = (): Validator<RawCatalogApp> =>
  stringOr((s) => ({ name: s }), name(), object<RawCatalogApp>({
    name: required(name()), version: optional(appVersion()), configOverrides: optional(dnsSubdomain()),
  }), 'an app name or a mapping');
const customApp = (): Validator<RawCustomApp> => object<RawCustomApp>({
  name: required(name()), version: required(appVersion()), kubernetesVersions: required(versionRange()), configOverrides: optional(dnsSubdomain()),
});
const machineTemplate = (): Validator<MachineTemplateRef> => stringOr((s) => ({ name: s }), dnsSubdomain(), object<MachineTemplateRef>({
  name: required(dnsSubdomain()),
  kind: optional(string({ describe: 'a kind such as AWSMachineTemplate', maxLength: 63, check: (v) => (/^[A-Z][A-Za-z0-9]*$/.test(v) ? undefined : `${show(v)} is not a kind such as AWSMachineTemplate`) })),
  apiVersion: optional(string({ describe: 'an apiVersion such as infrastructure.cluster.x-k8s.io/v1beta1', maxLength: 253, check: (v) => (/^[a-z0-9.-]+\/v[0-9a-z]+$/.test(v) ? undefined : `${show(v)} is not an apiVersion such as infrastructure.cluster.x-k8s.io/v1beta1`) })),
}), 'a template name or a mapping');
const controlPlane = (): Validator<RawControlPlane> => object<RawControlPlane>({ name: optional(name()), machineTemplate: optional(machineTemplate()) });
const nodePool = (): Validator<RawNodePool> => object<RawNodePool>({
  name: required(name()), kubernetesVersion: optional(kubernetesVersion()), machineTemplate: optional(machineTemplate()), removed: optional(boolean()),
});
const folder = () => string({ describe: 'a folder path', maxLength: 1024, check: (v) => (v.trim() === '' || v.includes('\0') ? `${show(v)} is not a folder path` : undefined) });
const apps = {
  platformApps: () => list(appRef(), { maxItems: 500 }),
  catalogApps: () => list(catalogApp(), { maxItems: 500 }),
  customApps: () => list(customApp(), { maxItems: 500 }),
};

const managementSchema = object<RawManagement>({
  name: required(name()),
  provider: required(oneOf(INFRASTRUCTURE_PROVIDERS)),
  namespace: optional(name()),
  kubernetesVersion: required(kubernetesVersion()),
  targetKubernetesVersion: optional(kubernetesVersion()),
  topology: optional(boolean()),
  controlPlane: optional(controlPlane()),
  nodePools: optional(list(nodePool(), { maxItems: 200 })),
  platformApps: optional(apps.platformApps()),
  catalogApps: optional(apps.catalogApps()),
  customApps: optional(apps.customApps()),
});

const managedClusterSchema = object<RawManagedCluster>({
  name: required(name()),
  type: optional(oneOf(['managed'] as const)),
  provider: required(oneOf(INFRASTRUCTURE_PROVIDERS)),
  namespace: optional(name()),
  kubernetesVersion: required(kubernetesVersion()),
  targetKubernetesVersion: optional(kubernetesVersion()),
  wave: optional(integer(1, 1000)),
  topology: optional(boolean()),
  controlPlane: optional(controlPlane()),
  nodePools: optional(list(nodePool(), { maxItems: 200 })),
  kubeConfig: optional(secretRef()),
});

const attachedClusterSchema = object<RawAttachedCluster>({
  name: required(name()),
  type: required(oneOf(['attached'] as const)),
  kubernetesVersion: required(kubernetesVersion()),
  kubeConfig: optional(secretRef()),
});

const TOPOLOGY_UNUSED = ['controlPlane', 'nodePools'];
const MANAGED_ONLY = ['provider', 'namespace', 'targetKubernetesVersion', 'wave', 'topology', 'controlPlane', 'nodePools'];

/**
 * A managed cluster leaving the fleet: its name and `removed: true`; the fields it had may stay
 * (they are not used), so removing a cluster is a one-line change.
 */
const removedClusterSchema: Validator<RawRemovedCluster> = (value, p, problems) => {
  const v = value as Record<string, unknown>;
  const r = object<RawRemovedCluster>({ name: required(name()), removed: required(boolean() as Validator<true>) })(
    { name: v.name, removed: v.removed }, p, problems);
  if (r === INVALID) return INVALID;
  if (v.type === 'attached') {
    problems.add(child(p, 'removed'), 'only managed clusters are marked removed; delete an attached cluster\'s entry instead (it has no Cluster API objects)');
    return INVALID;
  }
  const known = new Set(['name', 'removed', 'type', ...MANAGED_ONLY, 'kubernetesVersion', 'kubeConfig']);
  let ok = true;
  for (const k of Object.keys(v)) {
    if (!known.has(k)) {
      problems.add(child(p, k), `unknown field; allowed fields: ${[...known].join(', ')}`);
      ok = false;
    }
  }
  return ok ? r : INVALID;
};

/** A workspace cluster: the `type` picks the schema; attached clusters get a clear word on Konvoy-only fields. */
const workspaceCluster: Validator<RawManagedCluster | RawAttachedCluster | RawRemovedCluster> = (value, p, problems) => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (v.removed === true) {
      return removedClusterSchema(value, p, problems);
    }
    if (v.type !== undefined && v.type !== null && !(CLUSTER_TYPES as readonly unknown[]).includes(v.type)) {
      return oneOf(CLUSTER_TYPES)(v.type, child(p, 'type'), problems) as never;
    }
    if (v.type === 'attached') {
      const rest: Record<string, unknown> = {};
      let ok = true;
      for (const [k, x] of Object.entries(v)) {
        if (MANAGED_ONLY.includes(k)) {
          problems.add(child(p, k), 'not used by attached clusters: DKP does not upgrade their Kubernetes (they get workspace apps only)');
          ok = false;
        } else {
          rest[k] = x;
        }
      }
      const r = attachedClusterSchema(rest, p, problems);
      return ok ? r : INVALID;
    }
  }
  return konvoyCluster(managedClusterSchema)(value, p, problems);
};

/** ClusterClass clusters take no controlPlane or nodePools: Cluster API upgrades them from spec.topology.version. */
function konvoyCluster<T>(schema: Validator<T>): Validator<T> {
  return (value, p, problems) => {
    const r = schema(value, p, problems);
    if (r !== INVALID && (r as { topology?: boolean }).topology === true) {
      let ok = true;
      for (const k of TOPOLOGY_UNUSED) {
        if ((r as Record<string, unknown>)[k] !== undefined) {
          problems.add(child(p, k), 'not used by ClusterClass clusters (topology: true): Cluster API upgrades their control plane and workers from spec.topology.version');
          ok = false;
        }
      }
      return ok ? r : INVALID;
    }
    return r;
  };
}

const projectSchema = object<RawProject>({
  name: required(name()),
  namespace: optional(name()),
  clusters: optional(list(name(), { maxItems: 10000 })),
  catalogApps: optional(apps.catalogApps()),
  customApps: optional(apps.customApps()),
});

const workspaceSchema = object<RawWorkspace>({
  name: required(name()),
  namespace: optional(name()),
  platformApps: optional(apps.platformApps()),
  catalogApps: optional(apps.catalogApps()),
  customApps: optional(apps.customApps()),
  projects: optional(list(projectSchema, { maxItems: 1000 })),
  clusters: optional(list(workspaceCluster, { maxItems: 10000 })),
});

const fluxSchema = object<RawFlux>({
  mode: optional(oneOf(FLUX_MODES)),
  namespace: optional(name()),
  managementKubeConfig: optional(secretRef()),
  gateImage: optional(string({
    describe: 'a container image reference',
    maxLength: 512,
    check: (v) => (/^[a-z0-9]+([._\-/:@][A-Za-z0-9]+)*$/.test(v) ? undefined : `${show(v)} is not an image reference such as registry.example/kubectl:v1.22.8`),
  })),
  sourceRef: optional(object({ kind: optional(oneOf(SOURCE_KINDS)), name: required(name()), namespace: optional(name()) })),
  path: optional(repositoryPath()),
  interval: optional(duration()),
  retryInterval: optional(duration()),
  timeout: optional(duration()),
});

const fleetSchema = object<RawFleet>({
  apiVersion: required(string({
    check: (v) => (v === FLEET_API_VERSION ? undefined : `${show(v)} is not supported; use ${FLEET_API_VERSION}`),
  })),
  kind: required(string({ check: (v) => (v === 'Fleet' ? undefined : `${show(v)} is not supported; use Fleet`) })),
  metadata: required(object({ name: required(name()) })),
  spec: required(object({
    release: required(releaseVersion()),
    currentRelease: optional(releaseVersion()),
    catalog: optional(folder()),
    konvoy: optional(object<RawKonvoy>({
      enabled: optional(boolean()),
      providerComponents: optional(oneOf(PROVIDER_COMPONENTS_SOURCES)),
      addons: optional(object({
        delivery: optional(oneOf(ADDON_DELIVERIES)),
        clusterResourceSetAddons: optional(list(name(), { maxItems: 100 })),
        manifests: optional(folder()),
        values: optional(folder()),
      })),
    })),
    kommander: optional(object({ appDeployments: optional(apps.platformApps()) })),
    flux: optional(fluxSchema),
    preflight: optional(object({ veleroBackup: optional(object({ name: required(dnsSubdomain()), namespace: optional(name()) })) })),
    management: required(konvoyCluster(managementSchema)),
    workspaces: optional(list(workspaceSchema, { maxItems: 5000 })),
    acknowledgeRemovals: optional(list(string({
      describe: 'an object such as "HelmChartProxy team-a/calico-prod-east"',
      maxLength: 300,
      check: (v) => (/^[A-Z][A-Za-z0-9]* ([a-z0-9-]+\/)?[a-z0-9.-]+$/.test(v) ? undefined : `${show(v)} is not an object such as "HelmChartProxy team-a/calico-prod-east"`),
    }), { maxItems: 10000 })),
  })),
});

// ---------------------------------------------------------------------------------------
// Normalisation: defaults resolved once, and checks that span several fields.
// ---------------------------------------------------------------------------------------

function toPlatformApps(raw: RawAppRef[] | undefined, at: string): PlatformAppRef[] | undefined {
  return raw?.map((a, i) => ({ name: a.name, configOverrides: a.configOverrides, fieldPath: child(at, i) }));
}

function toCatalogApps(raw: RawCatalogApp[] | undefined, at: string): CatalogAppRef[] {
  return (raw ?? []).map((a, i) => ({ name: a.name, version: a.version, configOverrides: a.configOverrides, fieldPath: child(at, i) }));
}

function toCustomApps(raw: RawCustomApp[] | undefined, at: string): CustomApp[] {
  return (raw ?? []).map((a, i) => ({
    name: a.name, version: a.version, kubernetesVersions: a.kubernetesVersions, configOverrides: a.configOverrides, fieldPath: child(at, i),
  }));
}

function toControlPlane(raw: RawControlPlane | undefined, cluster: string, at: string): ControlPlane {
  return { name: raw?.name ?? `${cluster}-control-plane`, machineTemplate: raw?.machineTemplate, fieldPath: child(at, 'controlPlane') };
}

function toNodePools(raw: RawNodePool[] | undefined, clusterVersion: string, at: string): NodePool[] {
  return (raw ?? []).map((p, i) => ({
    name: p.name,
    removed: p.removed ?? false,
    kubernetesVersion: p.kubernetesVersion ?? clusterVersion,
    machineTemplate: p.machineTemplate,
    fieldPath: child(child(at, 'nodePools'), i),
  }));
}

function toWorkspaceCluster(raw: RawManagedCluster | RawAttachedCluster, ws: RawWorkspace, wsNamespace: string, at: string): WorkspaceCluster {
  const kubeconfigSecret = raw.kubeConfig?.secretRef.name ?? `${raw.name}-kubeconfig`;
  if (raw.type === 'attached') {
    const attached: AttachedCluster = {
      name: raw.name, type: 'attached', workspace: ws.name, kubernetesVersion: raw.kubernetesVersion, kubeconfigSecret, fieldPath: at,
    };
    return attached;
  }
  const managed: ManagedCluster = {
    name: raw.name,
    type: 'managed',
    workspace: ws.name,
    provider: raw.provider,
    namespace: raw.namespace ?? wsNamespace,
    kubernetesVersion: raw.kubernetesVersion,
    targetKubernetesVersion: raw.targetKubernetesVersion,
    wave: raw.wave ?? 1,
    topology: raw.topology ?? false,
    controlPlane: toControlPlane(raw.controlPlane, raw.name, at),
    nodePools: toNodePools(raw.nodePools, raw.kubernetesVersion, at),
    kubeconfigSecret,
    fieldPath: at,
  };
  return managed;
}

/** Reports every value that repeats in `items`, at the path of the repeat. */
function checkUnique<T>(items: readonly T[], key: (t: T) => string | undefined, where: (t: T) => string, what: string, problems: Problems): void {
  const first = new Map<string, string>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const seen = first.get(k);
    if (seen !== undefined) {
      problems.add(where(item), `${what} ${show(k)} is already used at ${seen}; ${what}s must be unique`);
    } else {
      first.set(k, where(item));
    }
  }
}

function checkFleet(fleet: Fleet, problems: Problems): void {
  const ws = fleet.workspaces;
  checkUnique(ws, (w) => w.name, (w) => child(w.fieldPath, 'name'), 'workspace name', problems);
  for (const w of ws) {
    if (w.namespace === MANAGEMENT_WORKSPACE_NAMESPACE || w.namespace === 'kommander-flux') {
      problems.add(child(w.fieldPath, 'namespace'), `${show(w.namespace)} belongs to the management cluster's workspace; choose another namespace for workspace ${show(w.name)}`);
    }
  }
  // Workspace and project namespaces are all namespaces on the management cluster.
  const namespaces = [
    ...ws.map((w) => ({ ns: w.namespace, at: child(w.fieldPath, 'namespace') })),
    ...ws.flatMap((w) => w.projects.map((p) => ({ ns: p.namespace, at: child(p.fieldPath, 'namespace') }))),
  ];
  checkUnique(namespaces, (n) => n.ns, (n) => n.at, 'namespace', problems);
  // Cluster names become layer names (cluster-<name>-...), so they are unique across the fleet.
  const clusters = [
    { name: fleet.management.name, at: child(fleet.management.fieldPath, 'name') },
    ...ws.flatMap((w) => [...w.clusters, ...w.removedClusters].map((c) => ({ name: c.name, at: child(c.fieldPath, 'name') }))),
  ];
  checkUnique(clusters, (c) => c.name, (c) => c.at, 'cluster name', problems);
  for (const w of ws) {
    checkUnique(w.projects, (p) => p.name, (p) => child(p.fieldPath, 'name'), 'project name', problems);
    checkAppLists(w.platformApps ?? [], w.catalogApps, w.customApps, problems);
    const clusterNames = new Set(w.clusters.map((c) => c.name));
    for (const p of w.projects) {
      checkAppLists([], p.catalogApps, p.customApps, problems);
      (p.clusters ?? []).forEach((c, i) => {
        if (!clusterNames.has(c)) {
          problems.add(child(child(p.fieldPath, 'clusters'), i), `${show(c)} is not a cluster of workspace ${show(w.name)}; `
            + `its clusters: ${[...clusterNames].join(', ') || 'none'}`);
        }
      });
    }
    for (const c of w.clusters) {
      if (c.type === 'managed') {
        checkUnique(c.nodePools, (p) => p.name, (p) => child(p.fieldPath, 'name'), 'node pool name', problems);
      }
    }
  }
  const m = fleet.management;
  checkAppLists([...(m.platformApps ?? []), ...fleet.kommanderAppDeployments], m.catalogApps, m.customApps, problems);
  checkUnique(m.nodePools, (p) => p.name, (p) => child(p.fieldPath, 'name'), 'node pool name', problems);
  // KubeadmControlPlanes and MachineDeployments are namespaced objects: clusters sharing a
  // namespace cannot share their names (DKP names them <cluster>-control-plane, <cluster>-<pool>).
  const konvoy = [m, ...ws.flatMap((w) => w.clusters).filter((c): c is ManagedCluster => c.type === 'managed')];
  const inNamespace = (key: (c: ManagedCluster | ManagementCluster) => { name: string; at: string }[]) =>
    konvoy.flatMap((c) => key(c).map((k) => ({ ...k, key: `${c.namespace}/${k.name}`, cluster: c.name })));
  const firstCluster = new Map<string, string>();
  for (const [what, list] of [
    ['control plane', inNamespace((c) => (c.topology ? [] : [{ name: c.controlPlane.name, at: child(c.controlPlane.fieldPath, 'name') }]))],
    ['node pool', inNamespace((c) => c.nodePools.map((p) => ({ name: p.name, at: child(p.fieldPath, 'name') })))],
  ] as const) {
    firstCluster.clear();
    for (const x of list) {
      const other = firstCluster.get(x.key);
      if (other !== undefined && other !== x.cluster) {
        problems.add(x.at, `${what} name ${show(x.key.split('/')[1])} is also used by cluster ${show(other)} in namespace ${show(x.key.split('/')[0])}; `
          + `clusters sharing a namespace need distinct ${what} names (DKP uses ${what === 'node pool' ? '<cluster>-<pool>' : '<cluster>-control-plane'})`);
      } else if (other === undefined) {
        firstCluster.set(x.key, x.cluster);
      }
    }
  }
}

/** One AppDeployment per app name in a namespace: names repeat neither within nor across the lists. */
function checkAppLists(platform: readonly PlatformAppRef[], catalog: readonly CatalogAppRef[], custom: readonly CustomApp[], problems: Problems): void {
  const all = [...platform, ...catalog, ...custom];
  checkUnique(all, (a) => a.name, (a) => child(a.fieldPath, 'name'), 'app name', problems);
}

/**
 * Validates a parsed fleet file and resolves its defaults.
 *
 * @param raw the parsed YAML
 * @param fleetFile path of the fleet file, to resolve `spec.catalog` against
 * @returns the fleet, or `undefined` when problems were recorded
 */
export function validateFleet(raw: unknown, fleetFile: string, problems: Problems): Fleet | undefined {
  const r = fleetSchema(raw, '', problems);
  if (r === INVALID) {
    return undefined;
  }
  const s = r.spec;
  const mode = s.flux?.mode ?? 'hub';
  const m = s.management;
  const mAt = 'spec.management';
  const management: ManagementCluster = {
    name: m.name,
    provider: m.provider,
    namespace: m.namespace ?? 'default',
    kubernetesVersion: m.kubernetesVersion,
    targetKubernetesVersion: m.targetKubernetesVersion,
    topology: m.topology ?? false,
    controlPlane: toControlPlane(m.controlPlane, m.name, mAt),
    nodePools: toNodePools(m.nodePools, m.kubernetesVersion, mAt),
    platformApps: toPlatformApps(m.platformApps, child(mAt, 'platformApps')),
    catalogApps: toCatalogApps(m.catalogApps, child(mAt, 'catalogApps')),
    customApps: toCustomApps(m.customApps, child(mAt, 'customApps')),
    fieldPath: mAt,
  };
  const workspaces: Workspace[] = (s.workspaces ?? []).map((w, i) => {
    const at = child('spec.workspaces', i);
    const namespace = w.namespace ?? w.name;
    const projects: Project[] = (w.projects ?? []).map((p, j) => {
      const pAt = child(child(at, 'projects'), j);
      return {
        name: p.name,
        namespace: p.namespace ?? p.name,
        catalogApps: toCatalogApps(p.catalogApps, child(pAt, 'catalogApps')),
        customApps: toCustomApps(p.customApps, child(pAt, 'customApps')),
        clusters: p.clusters,
        fieldPath: pAt,
      };
    });
    return {
      name: w.name,
      namespace,
      platformApps: toPlatformApps(w.platformApps, child(at, 'platformApps')),
      catalogApps: toCatalogApps(w.catalogApps, child(at, 'catalogApps')),
      customApps: toCustomApps(w.customApps, child(at, 'customApps')),
      projects,
      clusters: (w.clusters ?? []).flatMap((c, j) => ('removed' in c && c.removed === true ? []
        : [toWorkspaceCluster(c as RawManagedCluster | RawAttachedCluster, w, namespace, child(child(at, 'clusters'), j))])),
      removedClusters: (w.clusters ?? []).flatMap((c, j) => ('removed' in c && c.removed === true
        ? [{ name: c.name, workspace: w.name, fieldPath: child(child(at, 'clusters'), j) }] : [])),
      fieldPath: at,
    };
  });
  if (mode === 'kommander' && s.flux?.managementKubeConfig !== undefined) {
    problems.add('spec.flux.managementKubeConfig', 'only used in hub mode; in kommander mode the layers run on the management cluster itself');
  }
  const flux = s.flux;
  const fleet: Fleet = {
    name: r.metadata.name,
    release: s.release,
    currentRelease: s.currentRelease,
    catalogDir: s.catalog === undefined ? undefined : path.resolve(path.dirname(fleetFile), s.catalog),
    kommanderAppDeployments: toPlatformApps(s.kommander?.appDeployments, 'spec.kommander.appDeployments') ?? [],
    konvoy: {
      enabled: s.konvoy?.enabled ?? true,
      providerComponents: s.konvoy?.providerComponents ?? 'url',
      addonDelivery: s.konvoy?.addons?.delivery ?? 'helmChartProxy',
      clusterResourceSetAddons: s.konvoy?.addons?.clusterResourceSetAddons ?? [],
      addonManifestsDir: s.konvoy?.addons?.manifests === undefined ? undefined : path.resolve(path.dirname(fleetFile), s.konvoy.addons.manifests),
      addonValuesDir: s.konvoy?.addons?.values === undefined ? undefined : path.resolve(path.dirname(fleetFile), s.konvoy.addons.values),
    },
    flux: {
      mode,
      namespace: flux?.namespace ?? (mode === 'hub' ? 'flux-system' : 'kommander-flux'),
      managementKubeConfigSecret: flux?.managementKubeConfig?.secretRef.name ?? `${m.name}-kubeconfig`,
      gateImage: flux?.gateImage,
      sourceRef: { kind: flux?.sourceRef?.kind ?? 'GitRepository', name: flux?.sourceRef?.name ?? 'fleet', namespace: flux?.sourceRef?.namespace },
      path: normalizeRepositoryPath(flux?.path ?? './dist'),
      interval: flux?.interval ?? '10m',
      retryInterval: flux?.retryInterval ?? '2m',
      timeout: flux?.timeout ?? '30m',
    },
    preflight: {
      veleroBackup: s.preflight?.veleroBackup === undefined
        ? undefined
        : { name: s.preflight.veleroBackup.name, namespace: s.preflight.veleroBackup.namespace ?? 'velero' },
    },
    management,
    workspaces,
    acknowledgedRemovals: s.acknowledgeRemovals ?? [],
  };
  checkFleet(fleet, problems);
  return problems.count === 0 ? fleet : undefined;
}
