import * as semver from 'semver';
import { Release } from './release';

/**
 * Platform apps that changed between DKP releases in ways the release files alone do not say:
 * replaced by another app, or retired by a documented upgrade step though still present.
 */

export interface ReplacedApp {
  readonly app: string;
  readonly by: string;
  /** First release without `app`. */
  readonly since: string;
  readonly source: string;
}

export interface RetiredApp {
  readonly app: string;
  /** First release where the app must no longer be deployed as a platform app. */
  readonly since: string;
  /** What DKP documents to do before upgrading. */
  readonly step: string;
  readonly source: string;
}

export const REPLACED_APPS: readonly ReplacedApp[] = [
  {
    app: 'nvidia',
    by: 'nvidia-gpu-operator',
    since: '2.4.0',
    source: 'mesosphere/kommander-applications v2.4.0 services/ (nvidia gone, nvidia-gpu-operator/1.11.1 added; verified)',
  },
];

export const RETIRED_APPS: readonly RetiredApp[] = [
  {
    app: 'metallb',
    since: '2.2.0',
    step: 'MetalLB is no longer a platform app from DKP 2.2: before upgrading, suspend HelmRelease metallb in namespace kommander, delete its Helm '
      + 'release secrets (-l name=metallb,owner=helm) and AppDeployment metallb; MetalLB keeps running',
    source: 'mesosphere/dcos-docs-site pages/dkp/kommander/2.2/dkp-upgrade/upgrade-kommander/index.md (verified)',
  },
];

/** What became of an app that a release lacks, or must no longer deploy. */
export function appFate(app: string, target: Release): { replaced?: ReplacedApp; retired?: RetiredApp } {
  const replaced = REPLACED_APPS.find((r) => r.app === app && semver.gte(target.version, r.since));
  const retired = RETIRED_APPS.find((r) => r.app === app && semver.gte(target.version, r.since));
  return { ...(replaced ? { replaced } : {}), ...(retired ? { retired } : {}) };
}

/** A retired app's step, when an upgrade from `from` to `to` crosses the release that retired it. */
export function retirementsCrossed(from: string, to: string): RetiredApp[] {
  return RETIRED_APPS.filter((r) => semver.lt(from, r.since) && semver.gte(to, r.since));
}
