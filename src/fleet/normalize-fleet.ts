import * as path from 'path';
import {
  AttachedCluster, CatalogAppRef, ControlPlane, CustomApp, Fleet, ManagedCluster, ManagementCluster, NodePool, PlatformAppRef, Project,
  Workspace, WorkspaceCluster,
} from './fleet';
import {
  RawAppRef, RawAttachedCluster, RawCatalogApp, RawControlPlane, RawCustomApp, RawFleet, RawManagedCluster, RawNodePool, RawWorkspace,
} from './fleet-schema';
import { normalizeRepositoryPath } from '../input/formats';
import { child, Problems } from '../input/problems';

/**
 * The fleet with every default resolved once (DESIGN §4): the raw, validated fleet file in,
 * the model the planner reads out. Every entity keeps the field path it came from.
 */

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

/** `2.2.0` -> `2-2-0`: a release as a part of a Kubernetes name. */
export const dashed = (release: string): string => release.replace(/\./g, '-');

/**
 * Resolves the defaults of a validated fleet file.
 *
 * @param r the fleet file, as the schema validated it
 * @param fleetFile path of the fleet file, to resolve folders against
 */
export function normalizeFleet(r: RawFleet, fleetFile: string, problems: Problems): Fleet {
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
  const fluxNamespace = flux?.namespace ?? (mode === 'hub' ? 'flux-system' : 'kommander-flux');
  const fleet: Fleet = {
    name: r.metadata.name,
    release: s.release,
    currentRelease: s.currentRelease,
    catalogDir: s.catalog === undefined ? undefined : path.resolve(path.dirname(fleetFile), s.catalog),
    kommanderAppDeployments: toPlatformApps(s.kommander?.appDeployments, 'spec.kommander.appDeployments') ?? [],
    konvoy: {
      enabled: s.konvoy?.enabled ?? true,
      providers: s.konvoy?.providers ?? 'dkpCli',
      providerComponents: s.konvoy?.providerComponents ?? 'url',
      addonDelivery: s.konvoy?.addons?.delivery,
      clusterResourceSetAddons: s.konvoy?.addons?.clusterResourceSetAddons ?? [],
      addonManifestsDir: s.konvoy?.addons?.manifests === undefined ? undefined : path.resolve(path.dirname(fleetFile), s.konvoy.addons.manifests),
      addonValuesDir: s.konvoy?.addons?.values === undefined ? undefined : path.resolve(path.dirname(fleetFile), s.konvoy.addons.values),
    },
    flux: {
      mode,
      namespace: fluxNamespace,
      managementKubeConfigSecret: flux?.managementKubeConfig?.secretRef.name ?? `${m.name}-kubeconfig`,
      gateImage: flux?.gateImage,
      sourceRef: {
        kind: flux?.sourceRef?.kind ?? 'GitRepository',
        name: flux?.sourceRef?.name ?? 'fleet',
        namespace: flux?.sourceRef?.namespace ?? fluxNamespace,
      },
      bootstrap: { name: flux?.bootstrap?.name ?? 'dkp-fleet', namespace: flux?.bootstrap?.namespace ?? fluxNamespace },
      path: normalizeRepositoryPath(flux?.path ?? './dist'),
      interval: flux?.interval ?? '10m',
      retryInterval: flux?.retryInterval ?? '2m',
      timeout: flux?.timeout ?? '30m',
    },
    preflight: {
      veleroBackup: s.preflight?.veleroBackup === undefined
        ? undefined
        : {
          name: s.preflight.veleroBackup.name ?? `dkp-fleet-${s.currentRelease ? `${dashed(s.currentRelease)}-to-` : ''}${dashed(s.release)}`,
          namespace: s.preflight.veleroBackup.namespace ?? 'kommander',
        },
    },
    management,
    workspaces,
    rollout: {
      hold: s.rollout?.hold ?? [],
      waves: (s.rollout?.waves ?? []).map((w, i) => ({
        wave: w.wave, soak: w.soak, maxFailures: w.maxFailures,
        fieldPath: `spec.rollout.waves[${i}]`,
      })),
    },
    acknowledgedRemovals: s.acknowledgeRemovals ?? [],
  };
  return fleet;
}
