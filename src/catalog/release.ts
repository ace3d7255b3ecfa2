import { InfrastructureProvider } from '../fleet/fleet';

/**
 * The facts dkp-fleet needs about one DKP release (DESIGN §5). Loaded from
 * `src/catalog/releases/<version>.yaml` or a user's `spec.catalog` folder.
 *
 * Optional fields are facts that may be unknown; the planner names the missing fact when a
 * fleet needs it.
 */
export interface Release {
  readonly version: string;
  /** Releases this one can be upgraded from directly, as a semver range. */
  readonly upgradeFrom: string;
  /** @default - unknown */
  readonly kubernetes?: KubernetesSupport;
  readonly kommander: KommanderFacts;
  /** The Flux that Kommander bundles with this release. */
  readonly flux: BundledFlux;
  /** Every ClusterApp of the release, by app id. */
  readonly platformApps: Readonly<Record<string, PlatformApp>>;
  readonly defaultPlatformApps: DefaultPlatformApps;
  /** DKP catalog apps, by app id. */
  readonly catalogApps: Readonly<Record<string, readonly CatalogAppVersion[]>>;
  /** Cluster API contract the release's providers serve (`v1alpha4` in 2.1, `v1beta1` from 2.2). */
  readonly capiContract: 'v1alpha4' | 'v1beta1';
  /** @default - unknown */
  readonly capiProviders?: CapiProviders;
  /** Core addons per infrastructure provider. @default - unknown */
  readonly coreAddons?: Readonly<Partial<Record<InfrastructureProvider, readonly CoreAddon[]>>>;
  /** How DKP delivers core addons in this release. @default - unknown */
  readonly addonDelivery?: 'clusterResourceSet' | 'helmChartProxy';
  /** Strategy of DKP's per-cluster ClusterResourceSets (immutable on existing sets). */
  readonly clusterResourceSetStrategy: 'ApplyOnce' | 'ApplyAlways' | 'Reconcile';
  /** Platform apps of earlier releases this one replaced by another, by app id. @default - none */
  readonly replacedApps?: Readonly<Record<string, ReplacedApp>>;
  /** Platform apps of earlier releases this one must no longer deploy, by app id. @default - none */
  readonly retiredApps?: Readonly<Record<string, RetiredApp>>;
  /** What PLAN.md tells a reviewer of an upgrade to this release. @default - nothing */
  readonly notes?: readonly ReleaseNote[];
  /** Where the facts came from: the release file, for messages. */
  readonly source: string;
  /** The user's file the release came from, whole or laid over the built-in one. @default - built in */
  readonly userFile?: UserReleaseFile;
}

/** A release file from the fleet's `spec.catalog` folder. */
export interface UserReleaseFile {
  readonly file: string;
  /** Laid over the built-in release of its version (else the whole release). */
  readonly overlay: boolean;
  /** What an overlay supplied, field by field. */
  readonly facts: readonly UserFact[];
}

/** One fact a user's release file supplied: a field of the release and its value. */
export interface UserFact {
  /** Field path in the release: `capiProviders.infrastructure.aws.version`. */
  readonly path: string;
  readonly value: string;
  /** The built-in value it replaced. @default - none: a fact the built-in release lacked */
  readonly replaced?: string;
}

export interface KubernetesSupport {
  /** Versions the release supports, as a semver range. */
  readonly supported: string;
  /** @default - unknown: fleets targeting this release pin targetKubernetesVersion */
  readonly default?: string;
}

export interface KommanderFacts {
  /** kommander-applications tag that holds the release's app definitions. */
  readonly applicationsRef: string;
  /** Version of the `kommander` app (ClusterApp `kommander-<appVersion>`). */
  readonly appVersion: string;
  /** Chart version of the `kommander` HelmRelease. @default - unknown */
  readonly chartVersion?: string;
  readonly appDeploymentApiVersion: string;
}

export interface BundledFlux {
  /** kommander-flux app version, a fluxcd/flux2 release. */
  readonly distribution: string;
  readonly kustomizeController: string;
  readonly helmController: string;
  readonly sourceController: string;
}

export type AppType = 'platform' | 'internal' | 'catalog' | 'partner';

export interface HelmReleaseFact {
  readonly name: string;
  readonly chart: string;
  /** @default - unknown */
  readonly version?: string;
}

export interface PlatformApp {
  readonly version: string;
  readonly type: AppType;
  readonly scope: readonly ('workspace' | 'project')[];
  /** HelmReleases the app renders. @default - unknown */
  readonly helmReleases?: readonly HelmReleaseFact[];
}

export interface DefaultPlatformApps {
  /** @default - unknown */
  readonly workspace?: readonly string[];
  /** @default - unknown */
  readonly management?: readonly string[];
}

export interface CatalogAppVersion {
  readonly version: string;
  /** Kubernetes versions it supports, as a semver range. @default - unknown */
  readonly kubernetes?: string;
}

export interface ProviderComponents {
  /** cluster-api-operator provider name, e.g. `cluster-api`, `kubeadm`, `aws`. */
  readonly name: string;
  readonly version: string;
  /** Namespace the provider's controller runs in, e.g. `capi-system`. */
  readonly namespace: string;
  /** `spec.fetchConfig.url`: `https://github.com/<owner>/<repo>/releases/<tag>/<file>.yaml`. @default - unknown */
  readonly url?: string;
  /** Manager image DKP runs, when it is not the one the components name. @default - the components' own */
  readonly image?: string;
  /** The provider's manager Deployment, in `namespace` (its container is `manager`). @default - unknown */
  readonly deployment?: string;
}

export interface CapiProviders {
  readonly core?: ProviderComponents;
  readonly bootstrap?: ProviderComponents;
  readonly controlPlane?: ProviderComponents;
  readonly infrastructure?: Readonly<Partial<Record<InfrastructureProvider, ProviderComponents>>>;
}

export interface HelmChartRef {
  readonly repoURL: string;
  readonly name: string;
  readonly version: string;
}

export interface CoreAddon {
  readonly name: string;
  readonly version: string;
  /** Namespace on the workload cluster the chart installs into. */
  readonly releaseNamespace: string;
  /** Helm chart that installs this addon version. @default - none is usable: ClusterResourceSet delivery only */
  readonly chart?: HelmChartRef;
  /** Why the chart's default values are unsafe: delivered by HelmChartProxy only with a valuesTemplate. @default - they are safe */
  readonly valuesRequired?: string;
}

/** A platform app an earlier release had, replaced in this one by another. */
export interface ReplacedApp {
  /** The app that replaces it. */
  readonly by: string;
  /** First release without the app. */
  readonly since: string;
  readonly source: string;
}

/** A platform app an earlier release had that this one must no longer deploy. */
export interface RetiredApp {
  /** First release where the app must no longer be deployed as a platform app. */
  readonly since: string;
  /** What DKP documents to do before upgrading. */
  readonly step: string;
  readonly source: string;
}

/** A note for the reviewer of an upgrade to the release, shown in PLAN.md when its conditions hold. */
export interface ReleaseNote {
  readonly text: string;
  /** @default - always */
  readonly when?: {
    /** Only when upgrading from a release in this semver range. @default - any */
    readonly from?: string;
    /** Only when the Konvoy layers run (true) or do not (false). @default - either */
    readonly konvoy?: boolean;
    /** Only when HelmChartProxies are written for clusters of these providers. @default - whatever is written */
    readonly helmChartProxyProviders?: readonly InfrastructureProvider[];
  };
}
