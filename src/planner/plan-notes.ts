import * as semver from 'semver';
import { Layer } from './layer';
import { KonvoyPlan } from './plan-konvoy';
import { Release, ReleaseNote } from '../catalog/release';
import { Fleet, managedClusters } from '../fleet/fleet';

/**
 * Notes for the reviewer: facts the plan rests on that are inferred rather than read in a
 * source, and steps the upgrade needs that dkp-fleet leaves to people.
 */
/** Documented steps for people, before merging: apps the target retires that the current release still deployed. */
export function manualSteps(release: Release, current: Release | undefined): string[] {
  if (current === undefined) return [];
  const retiredBefore = current.retiredApps ?? {};
  return Object.entries(release.retiredApps ?? {})
    .filter(([app]) => !Object.prototype.hasOwnProperty.call(retiredBefore, app))
    .map(([, r]) => `${r.step} (${r.source}).`);
}

/** Does a release note's condition hold for this upgrade (its provider condition aside)? */
function applies(n: ReleaseNote, fleet: Fleet, current: Release | undefined): boolean {
  const w = n.when;
  if (w?.from !== undefined && (current === undefined || !semver.satisfies(current.version, w.from))) return false;
  return w?.konvoy === undefined || w.konvoy === fleet.konvoy.enabled;
}

/** Where the facts of the releases in use came from, when a user's file supplied them. */
function userFactNotes(releases: readonly (Release | undefined)[]): string[] {
  return releases.flatMap((r) => {
    const u = r?.userFile;
    if (r === undefined || u === undefined) return [];
    if (!u.overlay) return [`DKP ${r.version}: every fact comes from ${u.file} (no built-in release of that version); review it as you would code.`];
    const facts = u.facts.map((f) => `${f.path} = ${f.value}${f.replaced !== undefined ? ` (replaces the built-in ${f.replaced})` : ''}`);
    return [`DKP ${r.version}: facts from ${u.file}, laid over the built-in release: ${facts.join('; ')}.`];
  });
}

export function planNotes(fleet: Fleet, release: Release, current: Release | undefined, layers: readonly Layer[], konvoy?: KonvoyPlan): string[] {
  const notes: string[] = userFactNotes(current === undefined ? [release] : [current, release]);
  const clusters = [fleet.management, ...managedClusters(fleet)];
  const releaseNotes = (release.notes ?? []).filter((n) => applies(n, fleet, current));
  notes.push(...releaseNotes.filter((n) => n.when?.helmChartProxyProviders === undefined).map((n) => n.text));
  const proxies = layers.flatMap((l) => l.content.helmChartProxies);
  if (proxies.length > 0) {
    notes.push(`${proxies.length} HelmChartProxies select their cluster by the label konvoy.d2iq.io/cluster-name (inferred: DKP sets it on the `
      + 'Cluster objects it creates); a cluster without it fails its core-addons layer. Addons DKP installed by ClusterResourceSet are not owned '
      + 'by Helm: see README, "The Konvoy layers".');
  }
  if (proxies.length > 0 && current?.addonDelivery === 'clusterResourceSet') {
    notes.push(`**Delivery switched**: DKP ${current.version} installed the core addons by ClusterResourceSet, and these ${proxies.length} HelmChartProxies `
      + 'install them with Helm, which refuses to install a release over objects it does not own: each HelmReleaseProxy fails until the addon\'s '
      + 'objects on the cluster are adopted (label app.kubernetes.io/managed-by=Helm, annotations meta.helm.sh/release-name and '
      + 'meta.helm.sh/release-namespace, Helm 3.2 and later) or removed, and the old ClusterResourceSets are deleted so they do not apply them '
      + 'again. Keep spec.konvoy.addons.delivery: clusterResourceSet (the default) unless you have done that.');
  }
  const proxyProviders = new Set(proxies.map((p) => clusters.find((c) => c.name === p.cluster)?.provider));
  notes.push(...releaseNotes.filter((n) => n.when?.helmChartProxyProviders?.some((p) => proxyProviders.has(p))).map((n) => n.text));
  if (current !== undefined) {
    const gone = Object.keys(current.platformApps).filter((a) => release.platformApps[a] === undefined).sort();
    if (gone.length > 0) {
      const by = (a: string) => (release.replacedApps !== undefined && Object.prototype.hasOwnProperty.call(release.replacedApps, a)
        ? release.replacedApps[a].by : undefined);
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
    notes.push(`${sets.length} ClusterResourceSets use the D2iQ fork's ApplyAlways strategy, as DKP's own per-cluster sets do (inferred); `
      + 'the field is immutable.');
  }
  const unchecked = [...(konvoy?.addons.entries() ?? [])].flatMap(([cluster, a]) => a.unchecked.map((u) => `${cluster}: ${u}`));
  if (unchecked.length > 0) {
    notes.push(`Core addons whose workloads are not checked on their cluster: ${unchecked.join('; ')}.`);
  }
  if (fleet.konvoy.enabled && fleet.konvoy.providers === 'clusterApiOperator' && current !== undefined && current.capiContract !== release.capiContract) {
    notes.push(`The providers move from the ${current.capiContract} to the ${release.capiContract} contract through cluster-api-operator: its v0.23.x upgrades `
      + 'one provider at a time, and clusterctl\'s contract check refuses each while the others are on the old contract (read in the operator\'s '
      + 'code, not seen on a cluster). If mgmt-capi-providers does not become Ready, upgrade with `dkp upgrade capi-components` (spec.konvoy.providers: '
      + 'dkpCli) and adopt the providers into the operator afterwards.');
  }
  return notes;
}
