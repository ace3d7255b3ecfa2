import { parseFleet } from '../../src/fleet/load-fleet';
import { baseFleet, problemsOf, toYaml } from '../helpers';

/** The problems of a fleet file, without their `fleet.yaml:<line>: ` prefix. */
const problems = (fleet: unknown) => problemsOf(() => parseFleet(toYaml(fleet), 'fleet.yaml')).map((p) => p.replace(/^fleet\.yaml:\d+: /, ''));

describe('machine templates (controlPlane.machineTemplate, nodePools[].machineTemplate)', () => {
  test('a name, or a mapping with kind and apiVersion, is accepted', () => {
    const f = baseFleet();
    f.spec.management.controlPlane = { machineTemplate: 'mgmt-cp-v2' };
    f.spec.management.nodePools[0].machineTemplate = {
      name: 'mgmt-md-v2', kind: 'AzureMachineTemplate', apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    };
    expect(() => parseFleet(toYaml(f), 'fleet.yaml')).not.toThrow();
  });

  test.each([
    ['azureMachineTemplate', 'lower case first letter'],
    ['Azure-MachineTemplate', 'a dash'],
    ['AzureMachineTemplate ', 'a trailing space'],
  ])('fails if the kind is %j (%s), naming what a kind looks like', (kind) => {
    const f = baseFleet();
    f.spec.management.nodePools[0].machineTemplate = { name: 'mgmt-md-v2', kind };
    expect(problems(f)).toEqual([
      `spec.management.nodePools[0].machineTemplate.kind: ${JSON.stringify(kind)} is not a kind such as AWSMachineTemplate`,
    ]);
  });

  test.each([
    ['v1beta1', 'no group'],
    ['infrastructure.cluster.x-k8s.io/V1beta1', 'an upper-case version'],
    ['infrastructure.cluster.x-k8s.io/v1beta1/x', 'a third part'],
    ['Infrastructure.cluster.x-k8s.io/v1beta1', 'an upper-case group'],
  ])('fails if the apiVersion is %j (%s), naming what an apiVersion looks like', (apiVersion) => {
    const f = baseFleet();
    f.spec.management.controlPlane = { machineTemplate: { name: 'cp-v2', apiVersion } };
    expect(problems(f)).toEqual([
      `spec.management.controlPlane.machineTemplate.apiVersion: ${JSON.stringify(apiVersion)} is not an apiVersion such as `
      + 'infrastructure.cluster.x-k8s.io/v1beta1',
    ]);
  });
});

describe('folder paths (spec.catalog, spec.konvoy.addons.manifests and values)', () => {
  test.each([['   '], ['addons\0x']])('fails if a folder path is %j', (folder) => {
    const f = baseFleet();
    f.spec.konvoy.addons.values = folder;
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.konvoy\.addons\.values: .* is not a folder path$/)]);
  });
});

describe('removed clusters (removed: true)', () => {
  test('a managed cluster is removed with its name alone, or with the fields it had', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'old-1', removed: true });
    f.spec.workspaces[0].clusters.push({ name: 'old-2', removed: true, provider: 'azure', kubernetesVersion: '1.21.6', nodePools: [{ name: 'x' }] });
    expect(() => parseFleet(toYaml(f), 'fleet.yaml')).not.toThrow();
  });

  test('fails if an attached cluster is marked removed, saying to delete its entry', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'edge', type: 'attached', kubernetesVersion: '1.21.6', removed: true });
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[1].removed: only managed clusters are marked removed; delete an attached cluster\'s entry instead '
      + '(it has no Cluster API objects)',
    ]);
  });

  test('fails if a removed cluster has a field no cluster has, listing the allowed ones', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'old-1', removed: true, colour: 'red' });
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[1].colour: unknown field; allowed fields: name, removed, type, provider, namespace, targetKubernetesVersion, '
      + 'wave, topology, controlPlane, nodePools, kubernetesVersion, kubeConfig',
    ]);
  });

  test('fails with every problem of a removed entry at once: a bad name does not hide an unknown field or an attached type', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'Old_1', removed: true, colour: 'red' });
    f.spec.workspaces[0].clusters.push({ name: 'Edge_1', type: 'attached', kubernetesVersion: '1.21.6', removed: true });
    const found = problems(f);
    expect(found).toEqual([
      expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[1\]\.name: "Old_1" /),
      expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[1\]\.colour: unknown field; /),
      expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[2\]\.name: "Edge_1" /),
      'spec.workspaces[0].clusters[2].removed: only managed clusters are marked removed; delete an attached cluster\'s entry instead '
      + '(it has no Cluster API objects)',
    ]);
  });

  test.each([[false], ['yes']])('fails if removed is %j, saying only true marks a removal (and checking the rest of the entry)', (removed) => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'old-1', removed, provider: 'azure', colour: 'red' });
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[1].kubernetesVersion: required field is missing',
      `spec.workspaces[0].clusters[1].removed: ${JSON.stringify(removed)} is not allowed; write removed: true for a managed cluster leaving the fleet, `
      + 'or leave the field out to keep the cluster',
      expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[1\]\.colour: unknown field; /),
    ]);
  });
});

describe('the gate image (spec.flux.gateImage)', () => {
  test.each([
    ['registry.example/kubectl:v1.22.8'], ['kubectl'], ['registry.example:5000/tools/kubectl@sha256:0a1b2c'],
  ])('%j is accepted', (gateImage) => {
    const f = baseFleet();
    f.spec.flux = { gateImage };
    expect(() => parseFleet(toYaml(f), 'fleet.yaml')).not.toThrow();
  });

  test.each([
    ['/registry.example/kubectl', 'a leading slash'],
    ['-kubectl', 'a leading dash'],
    ['registry.example/kubectl:', 'a trailing colon'],
    ['kubectl; rm -rf /', 'a shell command'],
  ])('fails if it is %j (%s), naming what an image reference looks like', (gateImage) => {
    const f = baseFleet();
    f.spec.flux = { gateImage };
    expect(problems(f)).toEqual([
      `spec.flux.gateImage: ${JSON.stringify(gateImage)} is not an image reference such as registry.example/kubectl:v1.22.8`,
    ]);
  });
});

describe('projects', () => {
  test('fails if a project names a cluster of a workspace that has none, saying so', () => {
    const f = baseFleet();
    f.spec.workspaces.push({ name: 'team-b', projects: [{ name: 'payments', clusters: ['prod-east'] }] });
    expect(problems(f)).toEqual([
      'spec.workspaces[1].projects[0].clusters[0]: "prod-east" is not a cluster of workspace "team-b"; its clusters: none',
    ]);
  });
});

describe('workspace namespaces', () => {
  test.each([['kommander'], ['kommander-flux']])('fails if a workspace takes the management workspace\'s namespace %s', (namespace) => {
    const f = baseFleet();
    f.spec.workspaces[0].namespace = namespace;
    expect(problems(f)).toEqual([
      `spec.workspaces[0].namespace: "${namespace}" belongs to the management cluster's workspace; choose another namespace for workspace "team-a"`,
    ]);
  });
});

describe('cluster entries that are not mappings', () => {
  const entries: [unknown, string][] = [[null, 'an empty entry'], ['prod-west', 'a bare name'], [['prod-west'], 'a list']];
  test.each(entries)('fails if a cluster entry is %j (%s), naming it', (entry: unknown) => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push(entry);
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[1\]: expected a mapping/)]);
  });
});

describe('cluster type', () => {
  test('an empty type (type: with no value) is the default, managed', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].type = null;
    expect(parseFleet(toYaml(f), 'fleet.yaml').fleet.workspaces[0].clusters[0].type).toBe('managed');
  });

  test('fails if the type is neither managed nor attached, listing both', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].type = 'imported';
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[0\]\.type: .*"imported".*managed.*attached/)]);
  });
});

describe('spec.acknowledgeRemovals', () => {
  test('names objects as "<Kind> <namespace>/<name>", or "<Kind> <name>" for cluster-wide ones', () => {
    const f = baseFleet();
    f.spec.acknowledgeRemovals = ['HelmChartProxy team-a/calico-prod-east', 'ClusterResourceSet calico.v1'];
    expect(parseFleet(toYaml(f), 'fleet.yaml').fleet.acknowledgedRemovals).toEqual(f.spec.acknowledgeRemovals);
  });

  test.each([
    ['helmchartproxy team-a/x', 'a kind in lower case'],
    ['A HelmChartProxy team-a/x', 'words before the kind'],
    ['HelmChartProxy team-a/x/y', 'a third part'],
    ['HelmChartProxy team-a/X', 'an upper-case name'],
  ])('fails if an entry is %j (%s), naming what one looks like', (entry) => {
    const f = baseFleet();
    f.spec.acknowledgeRemovals = [entry];
    expect(problems(f)).toEqual([`spec.acknowledgeRemovals[0]: ${JSON.stringify(entry)} is not an object such as "HelmChartProxy team-a/calico-prod-east"`]);
  });
});

describe('rollout waves (spec.rollout)', () => {
  /** baseFleet with managed clusters in the given waves (and a gate image, so wave controls are possible). */
  const withWaves = (...waves: number[]) => {
    const f = baseFleet();
    f.spec.flux = { gateImage: 'registry.example/kubectl:v1.22.8' };
    f.spec.workspaces[0].clusters = waves.map((wave, i) => ({
      name: `prod-${i}`, provider: 'azure', kubernetesVersion: '1.21.6', wave, nodePools: [{ name: `prod-${i}-md-0` }],
    }));
    return f;
  };

  test('fails if a wave control names a wave no cluster is in, listing the fleet\'s waves in numeric order', () => {
    const f = withWaves(10, 2, 1, 2);
    f.spec.rollout = { waves: [{ wave: 3, maxFailures: 1 }], hold: ['wave-4'] };
    expect(problems(f)).toEqual([
      'spec.rollout.waves[0].wave: no managed cluster is in wave 3; waves of this fleet: 1, 2, 10',
      'spec.rollout.hold[0]: "wave-4" is not a wave or managed cluster of this fleet; holdable: wave-1, wave-2, wave-10, '
      + 'cluster-prod-0, cluster-prod-1, cluster-prod-2, cluster-prod-3 (attached clusters and the management cluster have no layers of their own to hold)',
    ]);
  });

  test('a hold names a wave or a cluster, one of a single letter included', () => {
    const f = withWaves(1);
    f.spec.workspaces[0].clusters[0].name = 'x';
    f.spec.workspaces[0].clusters[0].nodePools = [{ name: 'x-md-0' }];
    f.spec.rollout = { hold: ['cluster-x', 'wave-1'] };
    expect(() => parseFleet(toYaml(f), 'fleet.yaml')).not.toThrow();
  });

  test('fails if a wave control is given while no workspace cluster is managed, saying there are none', () => {
    const f = withWaves();
    f.spec.workspaces[0].clusters = [{ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14' }];
    f.spec.rollout = { waves: [{ wave: 1, soak: '1h' }] };
    expect(problems(f)).toEqual(['spec.rollout.waves[0].wave: no managed cluster is in wave 1; waves of this fleet: none']);
  });
});

describe('checks across fields', () => {
  test('run only once every field is valid: an attached cluster\'s Konvoy-only field is reported alone, not with a duplicate name', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'prod-east', type: 'attached', kubernetesVersion: '1.21.14', wave: 2 });
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[1].wave: not used by attached clusters: DKP does not upgrade their Kubernetes (they get workspace apps only)',
    ]);
    delete f.spec.workspaces[0].clusters[1].wave;
    expect(problems(f)).toEqual([expect.stringMatching(/^spec\.workspaces\[0\]\.clusters\[1\]\.name: cluster name "prod-east" is already used at /)]);
  });
});

describe('what a refusal of a wrong type or size says', () => {
  test('fails if a catalog app is neither a name nor a mapping, saying what it may be', () => {
    const f = baseFleet();
    f.spec.workspaces[0].catalogApps = [['gitea']];
    expect(problems(f)).toEqual(['spec.workspaces[0].catalogApps[0]: expected an app name or a mapping, got a list']);
  });

  test('fails if a machine template apiVersion is not a string, saying what an apiVersion looks like', () => {
    const f = baseFleet();
    f.spec.management.controlPlane = { machineTemplate: { name: 'cp-v2', apiVersion: 1 } };
    expect(problems(f)).toEqual([
      'spec.management.controlPlane.machineTemplate.apiVersion: expected an apiVersion such as infrastructure.cluster.x-k8s.io/v1beta1, got a number (1)',
    ]);
  });

  test('fails if a cluster lists more than 500 platform apps, with the count', () => {
    const f = baseFleet();
    f.spec.management.platformApps = Array.from({ length: 501 }, (_, i) => `app-${i}`);
    expect(problems(f)).toEqual(['spec.management.platformApps: has 501 items; at most 500 are allowed']);
  });
});

describe('ClusterClass clusters (topology: true)', () => {
  test('fails if one names a control plane, as for node pools: Cluster API upgrades both from spec.topology.version', () => {
    const f = baseFleet();
    const c = f.spec.workspaces[0].clusters[0];
    c.topology = true;
    delete c.nodePools;
    c.controlPlane = { name: 'prod-east-cp' };
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[0].controlPlane: not used by ClusterClass clusters (topology: true): '
      + 'Cluster API upgrades their control plane and workers from spec.topology.version',
    ]);
  });
});
