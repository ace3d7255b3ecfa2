import { CatalogAppRef, CustomApp, Fleet, ManagedCluster, ManagementCluster, MANAGEMENT_WORKSPACE_NAMESPACE, PlatformAppRef } from './fleet';
import { durationMillis } from '../input/formats';
import { child, Problems, show } from '../input/problems';

/** Checks that span several fields of a fleet: unique names and namespaces, references between entries. */

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

/** Records every problem that spans several fields of the fleet. */
export function checkFleet(fleet: Fleet, problems: Problems): void {
  const backup = fleet.preflight.veleroBackup;
  const target = fleet.release.replace(/\./g, '-');
  if (backup !== undefined && !backup.name.includes(target)) {
    problems.add('spec.preflight.veleroBackup.name', `${show(backup.name)} does not name this upgrade: it must contain the target release as ${target} `
      + `(for example pre-upgrade-${target}, or leave it out for dkp-fleet-...-to-${target}); a Backup of another name may be one an earlier `
      + 'upgrade left Completed, and would pass the preflight');
  }
  const ws = fleet.workspaces;
  checkUnique(ws, (w) => w.name, (w) => child(w.fieldPath, 'name'), 'workspace name', problems);
  for (const w of ws) {
    if (w.namespace === MANAGEMENT_WORKSPACE_NAMESPACE || w.namespace === 'kommander-flux') {
      problems.add(child(w.fieldPath, 'namespace'), `${show(w.namespace)} belongs to the management cluster's workspace; `
        + `choose another namespace for workspace ${show(w.name)}`);
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
  checkRollout(fleet, problems);
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

/** Holds name waves and managed clusters that exist; wave controls name waves that exist, once, and have a gate image to run. */
function checkRollout(fleet: Fleet, problems: Problems): void {
  const r = fleet.rollout;
  const managed = fleet.workspaces.flatMap((w) => w.clusters).filter((c): c is ManagedCluster => c.type === 'managed');
  const waves = [...new Set(managed.map((c) => c.wave))].sort((a, b) => a - b);
  const noKonvoy = fleet.konvoy.enabled ? '' : ' (spec.konvoy.enabled is false: there are no Konvoy layers to hold or soak)';
  const known = [...waves.map((w) => `wave-${w}`), ...managed.map((c) => `cluster-${c.name}`)];
  checkUnique(r.hold.map((h, i) => ({ h, i })), (x) => x.h, (x) => `spec.rollout.hold[${x.i}]`, 'hold entry', problems);
  r.hold.forEach((h, i) => {
    if (!fleet.konvoy.enabled || !known.includes(h)) {
      problems.add(`spec.rollout.hold[${i}]`, `${show(h)} is not a wave or managed cluster of this fleet${noKonvoy}; `
        + `holdable: ${known.join(', ') || 'none'} (attached clusters and the management cluster have no layers of their own to hold)`);
    }
  });
  checkUnique(r.waves, (w) => String(w.wave), (w) => child(w.fieldPath, 'wave'), 'wave', problems);
  for (const w of r.waves) {
    if (!fleet.konvoy.enabled || !waves.includes(w.wave)) {
      problems.add(child(w.fieldPath, 'wave'), `no managed cluster is in wave ${w.wave}${noKonvoy}; waves of this fleet: ${waves.join(', ') || 'none'}`);
    }
    for (const field of ['soak', 'maxFailures'] as const) {
      if (w[field] !== undefined && fleet.flux.gateImage === undefined) {
        const what = field === 'soak' ? 'the soak' : 'the failure budget';
        problems.add(child(w.fieldPath, field), `needs spec.flux.gateImage (an image with sh and kubectl): ${what} `
          + 'is a Job that reads the wave\'s Kustomizations');
      }
    }
    if (w.soak !== undefined && durationMillis(w.soak) < 60_000) {
      problems.add(child(w.fieldPath, 'soak'), `${show(w.soak)} is shorter than a minute; a soak watches the wave for a while (for example 30m or 2h)`);
    }
  }
}

/** One AppDeployment per app name in a namespace: names repeat neither within nor across the lists. */
function checkAppLists(platform: readonly PlatformAppRef[], catalog: readonly CatalogAppRef[], custom: readonly CustomApp[], problems: Problems): void {
  const all = [...platform, ...catalog, ...custom];
  checkUnique(all, (a) => a.name, (a) => child(a.fieldPath, 'name'), 'app name', problems);
}

