import { Layer } from './layer';
import { REPLACED_APPS, retirementsCrossed } from '../catalog/app-history';
import { Release } from '../catalog/release';
import { Fleet, managedClusters } from '../fleet/fleet';
import { minorOf } from '../input/formats';

/**
 * Notes for the reviewer: facts the plan rests on that are inferred rather than read in a
 * source, and steps the upgrade needs that dkp-fleet leaves to people.
 */
/** Documented steps for people, before merging: apps an upgrade retires. */
export function manualSteps(release: Release, current: Release | undefined): string[] {
  if (current === undefined) return [];
  return retirementsCrossed(current.version, release.version).map((r) => `${r.step} (${r.source}).`);
}

export function planNotes(fleet: Fleet, release: Release, current: Release | undefined, layers: readonly Layer[]): string[] {
  const notes: string[] = [];
  const minor = minorOf(release.version);
  const konvoy = fleet.konvoy.enabled;
  const clusters = [fleet.management, ...managedClusters(fleet)];
  if (minor === '2.3') {
    notes.push('DKP 2.3\'s supported Kubernetes range (1.21.0 to 1.23.x) comes from the pre-release 2.3 notes (verified-draft).');
  }
  if (konvoy && current !== undefined && minorOf(current.version) === '2.1' && minor === '2.2') {
    notes.push('Upgrading from 2.1, `dkp upgrade capi-components` also deleted 2.1\'s global ClusterResourceSets; dkp-fleet deletes nothing: '
      + 'remove them by hand once mgmt-capi-providers is Ready.');
  }
  const proxies = layers.flatMap((l) => l.content.helmChartProxies);
  if (proxies.length > 0) {
    notes.push(`${proxies.length} HelmChartProxies select their cluster by the label konvoy.d2iq.io/cluster-name (inferred: DKP sets it on the Cluster objects it `
      + 'creates); a cluster without it fails its core-addons layer. Addons DKP installed by ClusterResourceSet are not owned by Helm: see README, "The Konvoy layers".');
  }
  if (konvoy && minor === '2.1' && proxies.length > 0) {
    notes.push('DKP 2.1\'s core addon sets per provider are inferred from the 2.1 release notes and image list.');
  }
  if (konvoy && proxies.some((p) => clusters.find((c) => c.name === p.cluster)?.provider === 'vsphere')) {
    notes.push('The vSphere core addon set (Calico, vSphere CSI and CPI from the VMware Technical Marketing charts, node and GPU feature discovery) is inferred '
      + 'from the DKP 2.2 image list.');
  }
  if (current !== undefined) {
    const gone = Object.keys(current.platformApps).filter((a) => release.platformApps[a] === undefined).sort();
    if (gone.length > 0) {
      const by = (a: string) => REPLACED_APPS.find((r) => r.app === a)?.by;
      notes.push(`Not in DKP ${release.version} (were in ${current.version}): ${gone.map((a) => (by(a) ? `${a} (replaced by ${by(a)})` : a)).join(', ')}. `
        + 'dkp-fleet writes no AppDeployment for them and leaves any existing one as it is.');
    }
    const added = Object.keys(release.platformApps).filter((a) => current.platformApps[a] === undefined).sort();
    if (added.length > 0) notes.push(`New in DKP ${release.version}: ${added.join(', ')}.`);
  }
  const removed = fleet.workspaces.flatMap((w) => w.removedClusters.map((c) => c.name));
  const removedPools = clusters.flatMap((c) => c.nodePools.filter((p) => p.removed).map((p) => `${c.name}/${p.name}`));
  if (removed.length > 0 || removedPools.length > 0) {
    notes.push(`Leaving the fleet: ${[...removed.map((c) => `cluster ${c}`), ...removedPools.map((p) => `node pool ${p}`)].join(', ')}. dkp-fleet no longer `
      + 'writes their layers or objects; what is in the clusters stays (prune protection): delete it with dkp when you mean to.');
  }
  const sets = layers.flatMap((l) => l.content.clusterResourceSets);
  if (sets.length > 0 && release.clusterResourceSetStrategy === 'ApplyAlways') {
    notes.push(`${sets.length} ClusterResourceSets use the D2iQ fork's ApplyAlways strategy, as DKP's own per-cluster sets do (inferred); the field is immutable.`);
  }
  return notes;
}
