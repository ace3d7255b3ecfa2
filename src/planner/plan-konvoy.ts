import { TemplateRef } from './layer';
import { addonDelivery, ClusterAddons, planClusterAddons } from './plan-addons';
import { planProviders, ProvidersPlan } from './plan-providers';
import { Release } from '../catalog/release';
import { AddonSources } from '../fleet/addon-sources';
import { Fleet, InfrastructureProvider, KonvoyCluster, MachineTemplateRef, managedClusters } from '../fleet/fleet';
import { Problems } from '../input/problems';

export interface KonvoyPlan {
  readonly providers: ProvidersPlan;
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

/**
 * Plans the Konvoy layers' contents: the Cluster API providers at the release's versions, and
 * each Konvoy cluster's core addons. Names the missing fact when the release lacks one the fleet needs.
 */
export function planKonvoy(fleet: Fleet, release: Release, current: Release | undefined, sources: AddonSources, problems: Problems): KonvoyPlan {
  const providers = planProviders(fleet, release, current, problems);
  const addons = new Map<string, ClusterAddons>();
  const delivery = addonDelivery(fleet, release, current, problems);
  for (const c of [fleet.management, ...managedClusters(fleet)]) {
    const planned = delivery === undefined ? undefined : planClusterAddons(c, delivery, fleet, release, current, sources, problems);
    addons.set(c.name, planned ?? { helmChartProxies: [], clusterResourceSets: [], changes: [], checks: [], workloads: [], unchecked: [] });
  }
  return { providers, addons };
}
