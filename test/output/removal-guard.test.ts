import * as fs from 'fs';
import * as path from 'path';
import { Fleet } from '../../src/fleet/fleet';
import { parseFleet } from '../../src/fleet/load-fleet';
import { checkRemovals, fleetOfOutput } from '../../src/output/removal-guard';
import { baseFleet, tempDir, toYaml } from '../helpers';

/**
 * The removal guard, function by function: which objects of an existing output it protects (every
 * Cluster API kind, by the test's own list), whose removal the fleet may declare, and what it says.
 */

/** Cluster API kinds dkp-fleet writes, by the lowercase kind of an output file name (the test's own list). */
const CAPI_FILES: readonly [file: string, id: string][] = [
  ['mgmt-kubernetes/cluster.default.mgmt.yaml', 'Cluster default/mgmt'],
  ['mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml', 'KubeadmControlPlane default/mgmt-control-plane'],
  ['mgmt-capi-providers/coreprovider.capi-system.cluster-api.yaml', 'CoreProvider capi-system/cluster-api'],
  ['mgmt-capi-providers/bootstrapprovider.capi-kubeadm-bootstrap-system.kubeadm.yaml', 'BootstrapProvider capi-kubeadm-bootstrap-system/kubeadm'],
  ['mgmt-capi-providers/controlplaneprovider.capi-kubeadm-control-plane-system.kubeadm.yaml',
    'ControlPlaneProvider capi-kubeadm-control-plane-system/kubeadm'],
  ['mgmt-capi-providers/infrastructureprovider.capz-system.azure.yaml', 'InfrastructureProvider capz-system/azure'],
  ['cluster-prod-east-core-addons/helmchartproxy.team-a.calico-prod-east.yaml', 'HelmChartProxy team-a/calico-prod-east'],
  ['cluster-prod-east-core-addons/clusterresourceset.team-a.calico-prod-east.yaml', 'ClusterResourceSet team-a/calico-prod-east'],
];

/** The test fleet: prod-east (classic) and cc (ClusterClass) in team-a. */
function fleetDoc(): any {
  const f = baseFleet();
  f.spec.workspaces[0].clusters.push({ name: 'cc', provider: 'azure', kubernetesVersion: '1.21.6', topology: true });
  return f;
}

function model(doc: any): Fleet {
  return parseFleet(toYaml(doc), 'fleet.yaml').fleet;
}

/** An existing output folder holding `files` (empty files: the guard reads names), and the fleet's instance label when given. */
function existing(files: readonly string[], instance?: string): string {
  const dist = path.join(tempDir(), 'dist');
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dist, f)), { recursive: true });
    fs.writeFileSync(path.join(dist, f), '');
  }
  if (instance !== undefined) {
    fs.mkdirSync(path.join(dist, 'fleet'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'fleet', 'kustomization.yaml'), `metadata:\n  labels:\n    app.kubernetes.io/instance: other\n`);
    fs.writeFileSync(path.join(dist, 'fleet', 'mgmt-preflight.yaml'), `metadata:\n  labels:\n    app.kubernetes.io/instance: "${instance}"\n`);
  }
  return dist;
}

const dropped = (id: string, folder: string) => ({
  path: 'spec.acknowledgeRemovals',
  message: `${id} is in dist/${folder}/ but this fleet no longer writes it: prune protection keeps it in the cluster, managed by nobody. `
    + `If that is intended, add "${id}" to spec.acknowledgeRemovals`,
});

describe('the removal guard protects every Cluster API kind', () => {
  test.each(CAPI_FILES)('fails if %s is dropped while its cluster stays', (file, id) => {
    const dist = existing([file, 'mgmt-platform-apps/appdeployment.kommander.traefik.yaml']);
    expect(checkRemovals(model(fleetDoc()), dist, [])).toEqual([dropped(id, file.split('/')[0])]);
    expect(checkRemovals(model(fleetDoc()), dist, [file])).toEqual([]);
  });

  test('fails if a ClusterClass cluster\'s Cluster object goes with the cluster, unless it is marked removed', () => {
    const dist = existing(['cluster-cc-kubernetes/cluster.team-a.cc.yaml']);
    const gone = fleetDoc();
    gone.spec.workspaces[0].clusters.pop();
    expect(checkRemovals(model(gone), dist, [])).toEqual([{
      path: 'spec.workspaces',
      message: 'managed cluster "cc" is no longer in the fleet, but dist/ manages 1 Cluster API objects of it (Cluster team-a/cc). '
        + 'If it is leaving the fleet, keep its entry with removed: true (its objects stay in place; dkp-fleet stops managing them); else put it back',
    }]);
    const removed = fleetDoc();
    removed.spec.workspaces[0].clusters[1] = { name: 'cc', removed: true };
    expect(checkRemovals(model(removed), dist, [])).toEqual([]);
  });

  test('names at most three objects of a cluster that left, in order, and counts them all', () => {
    const files = ['control-plane/kubeadmcontrolplane.team-a.cc-cp.yaml', 'node-pools/machinedeployment.team-a.cc-md-0.yaml',
      'node-pools/machinedeployment.team-a.cc-md-1.yaml', 'core-addons/helmchartproxy.team-a.calico-cc.yaml'].map((f) => `cluster-cc-${f}`);
    const gone = fleetDoc();
    gone.spec.workspaces[0].clusters.pop();
    expect(checkRemovals(model(gone), existing(files), []).map((p) => p.message)).toEqual([
      'managed cluster "cc" is no longer in the fleet, but dist/ manages 4 Cluster API objects of it (HelmChartProxy team-a/calico-cc, '
      + 'KubeadmControlPlane team-a/cc-cp, MachineDeployment team-a/cc-md-0, ...). If it is leaving the fleet, keep its entry with removed: true '
      + '(its objects stay in place; dkp-fleet stops managing them); else put it back',
    ]);
    expect(checkRemovals(model(gone), existing(files.slice(1)), []).map((p) => p.message)[0])
      .toContain('manages 3 Cluster API objects of it (HelmChartProxy team-a/calico-cc, MachineDeployment team-a/cc-md-0, MachineDeployment team-a/cc-md-1). ');
  });

  test('reports each dropped object once, sorted, and lets acknowledged ones go', () => {
    const files = CAPI_FILES.map(([f]) => f);
    const problems = checkRemovals(model(fleetDoc()), existing(files), []);
    expect(problems.map((p) => p.message.split(' is in ')[0])).toEqual(CAPI_FILES.map(([, id]) => id).sort((a, b) => a.localeCompare(b)));
    const acknowledged = fleetDoc();
    acknowledged.spec.acknowledgeRemovals = CAPI_FILES.map(([, id]) => id).filter((id) => id !== 'CoreProvider capi-system/cluster-api');
    expect(checkRemovals(model(acknowledged), existing(files), [])).toEqual([dropped('CoreProvider capi-system/cluster-api', 'mgmt-capi-providers')]);
  });

  test('fails if a node pool is dropped unless it is marked removed, naming the pool field', () => {
    const dist = existing(['cluster-prod-east-node-pools/machinedeployment.team-a.prod-east-md-1.yaml']);
    expect(checkRemovals(model(fleetDoc()), dist, [])).toEqual([{
      path: 'spec.workspaces',
      message: 'MachineDeployment team-a/prod-east-md-1 is in dist/cluster-prod-east-node-pools/ but this fleet no longer writes it: prune protection '
        + 'keeps it in the cluster, managed by nobody. If its node pool is leaving the cluster, mark the pool removed: true; '
        + 'else put the pool back in the fleet',
    }]);
    const removed = fleetDoc();
    removed.spec.workspaces[0].clusters[0].nodePools.push({ name: 'prod-east-md-1', removed: true });
    expect(checkRemovals(model(removed), dist, [])).toEqual([]);
    // a removed pool of another namespace does not cover it
    const elsewhere = fleetDoc();
    elsewhere.spec.management.nodePools.push({ name: 'prod-east-md-1', removed: true });
    expect(checkRemovals(model(elsewhere), dist, [])).toHaveLength(1);
  });

  test('ignores what is not a Cluster API object, the fleet folder, top-level files and names that are no object file', () => {
    const dist = existing([
      'mgmt-platform-apps/appdeployment.kommander.traefik.yaml', 'mgmt-core-addons/configmap.default.calico-mgmt.yaml',
      'fleet/cluster.default.mgmt.yaml', 'mgmt-control-plane/kustomization.yaml', 'mgmt-control-plane/KubeadmControlPlane.default.x.yaml',
      'mgmt-control-plane/kubeadmcontrolplane.default.yaml', 'PLAN.md',
      // a merge tool's backup and a renamed copy hold an object file name, but are no object file of the output
      'mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml.orig', 'mgmt-control-plane/old-kubeadmcontrolplane.default.x.yaml',
    ]);
    expect(checkRemovals(model(fleetDoc()), dist, [])).toEqual([]);
  });

  test('passes when there is no existing output', () => {
    expect(checkRemovals(model(fleetDoc()), path.join(tempDir(), 'none'), [])).toEqual([]);
  });
});

describe('the removal guard and another fleet\'s output', () => {
  test('refuses to write over the output of a fleet of another name, before comparing anything', () => {
    const dist = existing(['mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml'], 'other-fleet');
    expect(fleetOfOutput(dist)).toBe('other-fleet');
    expect(checkRemovals(model(fleetDoc()), dist, [])).toEqual([{
      path: 'metadata.name',
      message: 'dist/ holds the output of fleet "other-fleet", not "test": write this fleet to a folder of its own with FLEET_OUT=<folder> '
        + '(or --out <folder>); dist/ was left as it is. If you renamed the fleet, delete dist/ and synthesize again',
    }]);
  });

  test('compares the output of the same fleet', () => {
    const dist = existing(['mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml'], 'test');
    expect(fleetOfOutput(dist)).toBe('test');
    expect(checkRemovals(model(fleetDoc()), dist, [])).toEqual([dropped('KubeadmControlPlane default/mgmt-control-plane', 'mgmt-control-plane')]);
  });

  test('finds no fleet where dist/fleet is missing or has no instance label', () => {
    expect(fleetOfOutput(path.join(tempDir(), 'none'))).toBeUndefined();
    const dist = existing(['fleet/mgmt-preflight.yaml', 'fleet/notes.txt']);
    expect(fleetOfOutput(dist)).toBeUndefined();
  });

  test('reads the instance label of the Kustomization itself (metadata.labels), not one nested deeper or with more after it', () => {
    const dist = existing(['fleet/kustomization.yaml']);
    const write = (text: string) => fs.writeFileSync(path.join(dist, 'fleet', 'a-layer.yaml'), text);
    write('spec:\n  commonMetadata:\n    labels:\n      app.kubernetes.io/instance: deeper\n');
    expect(fleetOfOutput(dist)).toBeUndefined();
    write('metadata:\n  labels:\n    app.kubernetes.io/instance: "a" # and a comment\n');
    expect(fleetOfOutput(dist)).toBeUndefined();
    write('metadata:\n  labels:\n    app.kubernetes.io/instance: plain\n');
    expect(fleetOfOutput(dist)).toBe('plain');
  });

  test('reads only the layer Kustomizations (.yaml), not a merge tool\'s leftover of another fleet beside them', () => {
    const dist = existing([]);
    fs.mkdirSync(path.join(dist, 'fleet'), { recursive: true });
    const label = (name: string) => `metadata:\n  labels:\n    app.kubernetes.io/instance: ${name}\n`;
    fs.writeFileSync(path.join(dist, 'fleet', 'a-layer.yaml.orig'), label('renamed-away'));
    expect(fleetOfOutput(dist)).toBeUndefined();
    fs.writeFileSync(path.join(dist, 'fleet', 'b-layer.yaml'), label('current'));
    expect(fleetOfOutput(dist)).toBe('current');
  });
});
