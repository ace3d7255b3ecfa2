import * as semver from 'semver';
import { ReleaseCatalog } from '../catalog/catalog';
import { Release } from '../catalog/release';
import { Fleet, KonvoyCluster, managedClusters, workspaceClusters } from '../fleet/fleet';
import { compareMinor, minorOf } from '../input/formats';
import { child, Problems, show } from '../input/problems';

/** The Kubernetes version of one cluster before and after the upgrade. */
export interface KubernetesMove {
  readonly current: string;
  readonly target: string;
}

/**
 * Kubelets may be this many minors older than the API server: 2 below Kubernetes 1.25,
 * 3 from 1.25 (https://kubernetes.io/releases/version-skew-policy/).
 */
export function maxKubeletSkew(kubeletVersion: string): number {
  return compareMinor(kubeletVersion, '1.25.0') < 0 ? 2 : 3;
}

/** `1.23.12`, 2 → `1.21`. */
function minorMinus(version: string, n: number): string {
  const [major, minor] = minorOf(version).split('.').map(Number);
  return `${major}.${minor - n}`;
}

function nextMinor(version: string): string {
  const [major, minor] = minorOf(version).split('.').map(Number);
  return `${major}.${minor + 1}`;
}

/** A release whose default Kubernetes is in `minor`, to name the intermediate hop. */
function releaseCarrying(minor: string, catalog: ReleaseCatalog): Release | undefined {
  return catalog.versions.map((v) => catalog.get(v)!).reverse().find((r) => r.kubernetes?.default !== undefined && minorOf(r.kubernetes.default) === minor);
}

/**
 * Resolves each cluster's target Kubernetes version and checks the version rules (DESIGN
 * §6.2): inside the release's supported range, one minor per upgrade, no downgrade, node
 * pools never newer than their control plane and within the kubelet skew policy, managed
 * clusters never above the management cluster, attached clusters inside the range.
 *
 * @returns moves by cluster name (Konvoy clusters only)
 */
export function resolveKubernetes(fleet: Fleet, release: Release, catalog: ReleaseCatalog, problems: Problems): Map<string, KubernetesMove> {
  const moves = new Map<string, KubernetesMove>();
  const k8s = release.kubernetes;
  const konvoy: KonvoyCluster[] = [fleet.management, ...managedClusters(fleet)];

  if (k8s === undefined) {
    problems.add('spec.release', `release ${release.version} does not record its supported Kubernetes versions (unknown in ${release.source}); `
      + `add kubernetes.supported (and kubernetes.default) to ${release.version}.yaml in the folder named by spec.catalog `
      + '(an overlay: version and the fields it adds)');
    return moves;
  }

  for (const c of workspaceClusters(fleet)) {
    if (c.type === 'attached' && !semver.satisfies(c.kubernetesVersion, k8s.supported)) {
      problems.add(child(c.fieldPath, 'kubernetesVersion'), `attached cluster ${show(c.name)} runs ${show(c.kubernetesVersion)}, outside release `
        + `${release.version}'s supported range ${show(k8s.supported)}; DKP does not upgrade attached clusters: upgrade it by hand first`);
    }
  }

  for (const c of konvoy) {
    const targetAt = child(c.fieldPath, 'targetKubernetesVersion');
    let target: string;
    if (!fleet.konvoy.enabled) {
      if (c.targetKubernetesVersion !== undefined) {
        problems.add(targetAt, 'only used when spec.konvoy.enabled is true (this fleet upgrades Kommander and apps only)');
      }
      target = c.kubernetesVersion;
      if (!semver.satisfies(target, k8s.supported)) {
        problems.add(child(c.fieldPath, 'kubernetesVersion'), `${show(target)} is outside release ${release.version}'s supported range ${show(k8s.supported)}, `
          + 'and spec.konvoy.enabled is false, so it would stay there; enable Konvoy to upgrade Kubernetes with the release');
      }
    } else if (c.targetKubernetesVersion !== undefined) {
      target = c.targetKubernetesVersion;
    } else if (k8s.default !== undefined) {
      target = k8s.default;
    } else {
      problems.add(targetAt, `required: release ${release.version} records no default Kubernetes version (unknown); `
        + `set one in its supported range ${show(k8s.supported)}`);
      continue;
    }
    if (fleet.konvoy.enabled) {
      checkTarget(c, target, release, catalog, problems);
    }
    for (const p of c.nodePools.filter((x) => !x.removed)) {
      if (semver.gt(p.kubernetesVersion, c.kubernetesVersion)) {
        problems.add(child(p.fieldPath, 'kubernetesVersion'), `node pool ${show(p.name)} runs ${show(p.kubernetesVersion)}, newer than its control plane `
          + `${show(c.kubernetesVersion)}; kubelets may never be newer than the API server`);
      } else if (fleet.konvoy.enabled) {
        const skew = maxKubeletSkew(p.kubernetesVersion);
        const gap = compareMinor(target, p.kubernetesVersion);
        if (gap > skew) {
          problems.add(child(p.fieldPath, 'kubernetesVersion'), `node pool ${show(p.name)} runs ${show(p.kubernetesVersion)}, more than ${skew} minors `
            + `older than the control plane's target ${show(target)} (kubelet skew policy); upgrade the pool to ${minorMinus(target, skew)} or newer first`);
        }
      }
    }
    moves.set(c.name, { current: c.kubernetesVersion, target });
  }

  const mgmt = moves.get(fleet.management.name);
  if (mgmt !== undefined) {
    for (const c of workspaceClusters(fleet)) {
      const m = moves.get(c.name);
      if (m !== undefined && semver.gt(m.target, mgmt.target)) {
        problems.add(child(c.fieldPath, c.targetKubernetesVersion !== undefined ? 'targetKubernetesVersion' : 'kubernetesVersion'),
          `managed cluster ${show(c.name)} would run ${show(m.target)}, above the management cluster's ${show(mgmt.target)}; `
          + 'the management cluster must run the newest Kubernetes of the fleet (its Cluster API manages the others)');
      }
    }
  }
  return moves;
}

function checkTarget(c: KonvoyCluster, target: string, release: Release, catalog: ReleaseCatalog, problems: Problems): void {
  const k8s = release.kubernetes!;
  const at = child(c.fieldPath, c.targetKubernetesVersion !== undefined ? 'targetKubernetesVersion' : 'kubernetesVersion');
  if (!semver.satisfies(target, k8s.supported)) {
    problems.add(at, `target ${show(target)} for cluster ${show(c.name)} is outside release ${release.version}'s supported range ${show(k8s.supported)}`);
    return;
  }
  if (semver.lt(target, c.kubernetesVersion)) {
    problems.add(at, `target ${show(target)} for cluster ${show(c.name)} is older than its current ${show(c.kubernetesVersion)}; `
      + 'Kubernetes cannot be downgraded');
    return;
  }
  if (compareMinor(target, c.kubernetesVersion) > 1) {
    const hop = nextMinor(c.kubernetesVersion);
    const carrier = releaseCarrying(hop, catalog);
    const inRelease = semver.satisfies(`${hop}.0`, k8s.supported) || semver.satisfies(`${hop}.99`, k8s.supported);
    const how = [
      inRelease ? `set targetKubernetesVersion to a ${hop} version (release ${release.version} supports ${show(k8s.supported)})` : undefined,
      carrier ? `release ${carrier.version} carries ${carrier.kubernetes!.default}` : undefined,
    ].filter(Boolean).join('; ');
    problems.add(at, `cluster ${show(c.name)} cannot go from ${show(c.kubernetesVersion)} to ${show(target)} in one upgrade: Kubernetes moves one minor `
      + `at a time, so ${hop} comes first${how ? ` (${how})` : ''}, then upgrade again`);
  }
}
