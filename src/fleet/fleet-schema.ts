import {
  ADDON_DELIVERIES, CLUSTER_TYPES, FLUX_MODES, INFRASTRUCTURE_PROVIDERS, PROVIDER_COMPONENTS_SOURCES, PROVIDERS_MANAGED_BY, SOURCE_KINDS,
} from './fleet';
import {
  appVersion, dnsLabel, dnsSubdomain, duration, kubernetesVersion, releaseVersion, repositoryPath, versionRange,
} from '../input/formats';
import { child, show } from '../input/problems';
import {
  boolean, Infer, INVALID, integer, list, object, oneOf, optional, required, string, stringOr, Validator,
} from '../input/schema';

/**
 * The fleet file as written, checked field by field: the validators below are the one place a
 * field is declared, and the raw types are derived from them (`Infer`). Defaults are resolved
 * in normalize-fleet.ts, checks across fields in cross-checks.ts.
 */

export const FLEET_API_VERSION = 'dkp-fleet/v1alpha1';

const name = dnsLabel;
const secretRef = () => object({ secretRef: required(object({ name: required(dnsSubdomain()) })) });
const appRef = () =>
  stringOr((s) => ({ name: s }), name(), object({ name: required(name()), configOverrides: optional(dnsSubdomain()) }), 'an app name or a mapping');
const catalogApp = () =>
  stringOr((s) => ({ name: s }), name(), object({
    name: required(name()), version: optional(appVersion()), configOverrides: optional(dnsSubdomain()),
  }), 'an app name or a mapping');
const customApp = () => object({
  name: required(name()), version: required(appVersion()), kubernetesVersions: required(versionRange()), configOverrides: optional(dnsSubdomain()),
});
const machineTemplate = () => stringOr((s) => ({ name: s }), dnsSubdomain(), object({
  name: required(dnsSubdomain()),
  kind: optional(string({ describe: 'a kind such as AWSMachineTemplate', maxLength: 63, check: (v) => (/^[A-Z][A-Za-z0-9]*$/.test(v) ? undefined : `${show(v)} is not a kind such as AWSMachineTemplate`) })),
  apiVersion: optional(string({ describe: 'an apiVersion such as infrastructure.cluster.x-k8s.io/v1beta1', maxLength: 253, check: (v) => (/^[a-z0-9.-]+\/v[0-9a-z]+$/.test(v) ? undefined : `${show(v)} is not an apiVersion such as infrastructure.cluster.x-k8s.io/v1beta1`) })),
}), 'a template name or a mapping');
const controlPlane = () => object({ name: optional(name()), machineTemplate: optional(machineTemplate()) });
const nodePool = () => object({
  name: required(name()), kubernetesVersion: optional(kubernetesVersion()), machineTemplate: optional(machineTemplate()), removed: optional(boolean()),
});
const folder = () => string({
  describe: 'a folder path', maxLength: 1024, check: (v) => (v.trim() === '' || v.includes('\0') ? `${show(v)} is not a folder path` : undefined),
});
const apps = {
  platformApps: () => list(appRef(), { maxItems: 500 }),
  catalogApps: () => list(catalogApp(), { maxItems: 500 }),
  customApps: () => list(customApp(), { maxItems: 500 }),
};

const managementSchema = object({
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

const managedClusterSchema = object({
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

const attachedClusterSchema = object({
  name: required(name()),
  type: required(oneOf(['attached'] as const)),
  kubernetesVersion: required(kubernetesVersion()),
  kubeConfig: optional(secretRef()),
});

const TOPOLOGY_UNUSED = ['controlPlane', 'nodePools'];
const MANAGED_ONLY = ['provider', 'namespace', 'targetKubernetesVersion', 'wave', 'topology', 'controlPlane', 'nodePools'];

const removedClusterFields = object({ name: required(name()), removed: required(boolean() as Validator<true>) });

/**
 * A managed cluster leaving the fleet: its name and `removed: true`; the fields it had may stay
 * (they are not used), so removing a cluster is a one-line change.
 */
const removedClusterSchema: Validator<Infer<typeof removedClusterFields>> = (value, p, problems) => {
  const v = value as Record<string, unknown>;
  const r = removedClusterFields(
    { name: v.name, removed: v.removed }, p, problems);
  // every problem of the entry at once: a bad name does not hide the others
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
    if (v.removed !== undefined) {
      // removed: false reads as "keep it": say what the field takes, not that it is unknown
      problems.add(child(p, 'removed'), `${show(v.removed)} is not allowed; write removed: true for a managed cluster leaving the fleet, `
        + 'or leave the field out to keep the cluster');
      const { removed: _removed, ...rest } = v;
      workspaceCluster(rest, p, problems);
      return INVALID;
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
          problems.add(child(p, k), 'not used by ClusterClass clusters (topology: true): '
            + 'Cluster API upgrades their control plane and workers from spec.topology.version');
          ok = false;
        }
      }
      return ok ? r : INVALID;
    }
    return r;
  };
}

const projectSchema = object({
  name: required(name()),
  namespace: optional(name()),
  clusters: optional(list(name(), { maxItems: 10000 })),
  catalogApps: optional(apps.catalogApps()),
  customApps: optional(apps.customApps()),
});

const workspaceSchema = object({
  name: required(name()),
  namespace: optional(name()),
  platformApps: optional(apps.platformApps()),
  catalogApps: optional(apps.catalogApps()),
  customApps: optional(apps.customApps()),
  projects: optional(list(projectSchema, { maxItems: 1000 })),
  clusters: optional(list(workspaceCluster, { maxItems: 10000 })),
});

const fluxSchema = object({
  mode: optional(oneOf(FLUX_MODES)),
  namespace: optional(name()),
  managementKubeConfig: optional(secretRef()),
  gateImage: optional(string({
    describe: 'a container image reference',
    maxLength: 512,
    check: (v) => (/^[a-z0-9]+([._\-/:@][A-Za-z0-9]+)*$/.test(v) ? undefined : `${show(v)} is not an image reference such as registry.example/kubectl:v1.22.8`),
  })),
  sourceRef: optional(object({ kind: optional(oneOf(SOURCE_KINDS)), name: required(name()), namespace: optional(name()) })),
  bootstrap: optional(object({ name: required(name()), namespace: optional(name()) })),
  path: optional(repositoryPath()),
  interval: optional(duration()),
  retryInterval: optional(duration()),
  timeout: optional(duration()),
});

export const fleetSchema = object({
  apiVersion: required(string({
    check: (v) => (v === FLEET_API_VERSION ? undefined : `${show(v)} is not supported; use ${FLEET_API_VERSION}`),
  })),
  kind: required(string({ check: (v) => (v === 'Fleet' ? undefined : `${show(v)} is not supported; use Fleet`) })),
  metadata: required(object({ name: required(name()) })),
  spec: required(object({
    release: required(releaseVersion()),
    currentRelease: optional(releaseVersion()),
    catalog: optional(folder()),
    konvoy: optional(object({
      enabled: optional(boolean()),
      providers: optional(oneOf(PROVIDERS_MANAGED_BY)),
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
    preflight: optional(object({ veleroBackup: optional(object({ name: optional(dnsSubdomain()), namespace: optional(name()) })) })),
    management: required(konvoyCluster(managementSchema)),
    workspaces: optional(list(workspaceSchema, { maxItems: 5000 })),
    rollout: optional(object({
      hold: optional(list(string({
        describe: 'a wave or cluster such as wave-2 or cluster-prod-west',
        maxLength: 80,
        check: (v) => (/^(wave-[0-9]+|cluster-[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.test(v) ? undefined
          : `${show(v)} is not a wave or cluster to hold; write wave-<n> or cluster-<name>`),
      }), { maxItems: 5000 })),
      waves: optional(list(object({
        wave: required(integer(1, 1000)),
        soak: optional(duration()),
        maxFailures: optional(integer(0, 5000)),
      }), { maxItems: 1000 })),
    })),
    acknowledgeRemovals: optional(list(string({
      describe: 'an object such as "HelmChartProxy team-a/calico-prod-east"',
      maxLength: 300,
      check: (v) => (/^[A-Z][A-Za-z0-9]* ([a-z0-9-]+\/)?[a-z0-9.-]+$/.test(v) ? undefined : `${show(v)} is not an object such as "HelmChartProxy team-a/calico-prod-east"`),
    }), { maxItems: 10000 })),
  })),
});

export type RawFleet = Infer<typeof fleetSchema>;
export type RawSpec = RawFleet['spec'];
export type RawManagement = Infer<typeof managementSchema>;
export type RawManagedCluster = Infer<typeof managedClusterSchema>;
export type RawAttachedCluster = Infer<typeof attachedClusterSchema>;
export type RawRemovedCluster = Infer<typeof removedClusterFields>;
export type RawWorkspace = Infer<typeof workspaceSchema>;
export type RawProject = Infer<typeof projectSchema>;
export type RawControlPlane = Infer<ReturnType<typeof controlPlane>>;
export type RawNodePool = Infer<ReturnType<typeof nodePool>>;
export type RawAppRef = Infer<ReturnType<typeof appRef>>;
export type RawCatalogApp = Infer<ReturnType<typeof catalogApp>>;
export type RawCustomApp = Infer<ReturnType<typeof customApp>>;
