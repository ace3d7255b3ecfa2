import * as fs from 'fs';
import * as path from 'path';
import { Fleet, managedClusters } from '../fleet/fleet';
import { byKey } from '../input/compare';
import { Problem } from '../input/problems';

/** Kinds of the Cluster API family, by the lowercase kind in an output file name. */
const CAPI_KINDS: Record<string, string> = {
  cluster: 'Cluster',
  kubeadmcontrolplane: 'KubeadmControlPlane',
  machinedeployment: 'MachineDeployment',
  coreprovider: 'CoreProvider',
  bootstrapprovider: 'BootstrapProvider',
  controlplaneprovider: 'ControlPlaneProvider',
  infrastructureprovider: 'InfrastructureProvider',
  helmchartproxy: 'HelmChartProxy',
  clusterresourceset: 'ClusterResourceSet',
};

interface CapiObject {
  /** `<Kind> <namespace>/<name>`, as `spec.acknowledgeRemovals` names it. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  /** The layer folder it was in. */
  readonly folder: string;
}

/** Cluster API objects of an output, read from its file names (`<kind>.<namespace>.<name>.yaml`). */
function capiObjects(paths: Iterable<string>): Map<string, CapiObject> {
  const out = new Map<string, CapiObject>();
  for (const p of paths) {
    const [folder, file] = p.split('/');
    if (file === undefined || folder === 'fleet') continue;
    const m = /^([a-z0-9]+)\.([a-z0-9-]+)\.(.+)\.yaml$/.exec(file);
    if (!m || CAPI_KINDS[m[1]] === undefined) continue;
    const kind = CAPI_KINDS[m[1]];
    const id = `${kind} ${m[2]}/${m[3]}`;
    out.set(id, { id, kind, name: m[3], folder });
  }
  return out;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const folder of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(dir, folder.name))) out.push(`${folder.name}/${f}`);
  }
  return out;
}

/** The fleet an existing output was written for: the instance label of its layer Kustomizations. */
export function fleetOfOutput(existingDir: string): string | undefined {
  const dir = path.join(existingDir, 'fleet');
  if (!fs.existsSync(dir)) return undefined;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml') && x !== 'kustomization.yaml').sort()) {
    const m = /^ {4}app\.kubernetes\.io\/instance: "?([^"\n]+)"?$/m.exec(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The guard for the worst pull request: refuses to write over another fleet's output (its
 * instance label), and refuses output that drops a Cluster API object the
 * existing output (the committed dist/) has, unless the fleet says so: the managed cluster is
 * marked `removed: true`, the node pool is, or the object is listed in
 * `spec.acknowledgeRemovals`. Prune protection keeps a dropped object in the cluster, but
 * nobody manages it anymore; that must be a decision, not an accident.
 */
export function checkRemovals(fleet: Fleet, existingDir: string, nextPaths: readonly string[]): Problem[] {
  const owner = fleetOfOutput(existingDir);
  if (owner !== undefined && owner !== fleet.name) {
    const dir = path.basename(existingDir);
    return [{
      path: 'metadata.name',
      message: `${dir}/ holds the output of fleet ${JSON.stringify(owner)}, not ${JSON.stringify(fleet.name)}: write this fleet to a folder of its own `
        + `with FLEET_OUT=<folder> (or --out <folder>); ${dir}/ was left as it is. If you renamed the fleet, delete ${dir}/ and synthesize again`,
    }];
  }
  const before = capiObjects(listFiles(existingDir));
  if (before.size === 0) return [];
  const after = capiObjects(nextPaths);
  const live = new Set([fleet.management.name, ...managedClusters(fleet).map((c) => c.name)]);
  const removed = new Set(fleet.workspaces.flatMap((w) => w.removedClusters.map((c) => c.name)));
  const removedPools = new Set([fleet.management, ...managedClusters(fleet)]
    .flatMap((c) => c.nodePools.filter((p) => p.removed).map((p) => `${c.namespace}/${p.name}`)));
  const acknowledged = new Set(fleet.acknowledgedRemovals);
  const clusterOf = (folder: string) => /^cluster-(.+)-(core-addons|control-plane|node-pools|kubernetes)$/.exec(folder)?.[1];

  const goneClusters = new Map<string, CapiObject[]>();
  const problems: Problem[] = [];
  for (const o of [...before.values()].sort(byKey((o) => o.id))) {
    if (after.has(o.id) || acknowledged.has(o.id)) continue;
    const cluster = clusterOf(o.folder);
    if (cluster !== undefined && !live.has(cluster)) {
      if (!removed.has(cluster)) goneClusters.set(cluster, [...(goneClusters.get(cluster) ?? []), o]);
      continue;
    }
    if (o.kind === 'MachineDeployment' && removedPools.has(o.id.split(' ')[1])) continue;
    problems.push({
      path: o.kind === 'MachineDeployment' ? 'spec.workspaces' : 'spec.acknowledgeRemovals',
      message: `${o.id} is in ${path.basename(existingDir)}/${o.folder}/ but this fleet no longer writes it: prune protection keeps it in the cluster, `
        + 'managed by nobody. '
        + (o.kind === 'MachineDeployment'
          ? 'If its node pool is leaving the cluster, mark the pool removed: true; else put the pool back in the fleet'
          : `If that is intended, add "${o.id}" to spec.acknowledgeRemovals`),
    });
  }
  for (const [cluster, objects] of goneClusters) {
    problems.push({
      path: 'spec.workspaces',
      message: `managed cluster ${JSON.stringify(cluster)} is no longer in the fleet, `
        + `but ${path.basename(existingDir)}/ manages ${objects.length} Cluster API objects `
        + `of it (${objects.slice(0, 3).map((o) => o.id).join(', ')}${objects.length > 3 ? ', ...' : ''}). If it is leaving the fleet, keep its entry with `
        + 'removed: true (its objects stay in place; dkp-fleet stops managing them); else put it back',
    });
  }
  return problems;
}
