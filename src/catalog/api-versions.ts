import { Release } from './release';

/**
 * API versions and labels of the objects dkp-fleet writes or watches, by release where the
 * release decides them. Constructs and the planner both read them from here.
 */

/** Cluster API group versions of a contract (`v1beta1`): what the checks watch and the version objects are written as. */
export function clusterApiVersions(contract: string): { readonly cluster: string; readonly controlPlane: string } {
  return { cluster: `cluster.x-k8s.io/${contract}`, controlPlane: `controlplane.cluster.x-k8s.io/${contract}` };
}

/** API version used to watch Kommander's HelmReleases: what its helm-controller serves. */
export function helmReleaseApiVersion(release: Release): string {
  const [major, minor] = release.flux.helmController.replace(/^v/, '').split('.').map(Number);
  if (major >= 1) return 'helm.toolkit.fluxcd.io/v2';
  return minor >= 37 ? 'helm.toolkit.fluxcd.io/v2beta2' : 'helm.toolkit.fluxcd.io/v2beta1';
}

/** Kommander's ClusterApp (crds/kommander-apps.yaml, from Kommander's API reference). */
export const CLUSTER_APP_API_VERSION = 'apps.kommander.d2iq.io/v1alpha2';

/** cluster-api-operator providers (../shared/crds/cluster-api-operator). */
export const PROVIDER_API_VERSION = 'operator.cluster.x-k8s.io/v1alpha2';

/** Cluster API Addon Provider Helm (../shared/crds/cluster-api-addon-provider-helm). */
export const HELM_CHART_PROXY_API_VERSION = 'addons.cluster.x-k8s.io/v1alpha1';

/** ClusterResourceSet, as the release's Cluster API serves it once the providers are upgraded. */
export const CLUSTER_RESOURCE_SET_API_VERSION = 'addons.cluster.x-k8s.io/v1beta1';

/** Velero's Backup. */
export const VELERO_BACKUP_API_VERSION = 'velero.io/v1';

/**
 * The label that selects one Konvoy cluster: DKP's per-cluster addons are named `<addon>-<cluster>`
 * (../shared/reference/dkp-facts.md, `dkp upgrade addons`); that DKP labels its Cluster objects with
 * this key is inferred, and PLAN.md says so.
 */
export const CLUSTER_NAME_LABEL = 'konvoy.d2iq.io/cluster-name';
