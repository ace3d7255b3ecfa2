import { spawnSync } from 'child_process';
import * as path from 'path';
import { loadFleet, parseFleet } from '../../src/fleet/load-fleet';
import { baseFleet, problemsOf, ROOT, tempDir, toYaml, writeFleet } from '../helpers';

const parse = (fleet: unknown) => parseFleet(toYaml(fleet), 'fleet.yaml');
const problems = (fleet: unknown) => problemsOf(() => parse(fleet));
const problemsText = (text: string) => problemsOf(() => parseFleet(text, 'fleet.yaml'));

describe('a valid fleet file', () => {
  test('resolves every default', () => {
    const { fleet } = parse(baseFleet());
    expect(fleet.name).toBe('test');
    expect(fleet.konvoy).toEqual({
      enabled: true, providers: 'dkpCli', providerComponents: 'url', addonDelivery: undefined, clusterResourceSetAddons: [],
      addonManifestsDir: path.join(ROOT, 'examples', 'addons-azure'), addonValuesDir: undefined,
    });
    expect(fleet.flux).toEqual({
      mode: 'hub',
      namespace: 'flux-system',
      managementKubeConfigSecret: 'mgmt-kubeconfig',
      gateImage: undefined,
      sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
      bootstrap: { name: 'dkp-fleet', namespace: 'flux-system' },
      path: './dist',
      interval: '10m',
      retryInterval: '2m',
      timeout: '30m',
    });
    expect(fleet.management.namespace).toBe('default');
    expect(fleet.management.controlPlane.name).toBe('mgmt-control-plane');
    expect(fleet.management.nodePools[0]).toMatchObject({ name: 'mgmt-md-0', kubernetesVersion: '1.21.6' });
    const ws = fleet.workspaces[0];
    expect(ws.namespace).toBe('team-a');
    expect(ws.platformApps).toBeUndefined();
    const c = ws.clusters[0];
    expect(c).toMatchObject({ type: 'managed', wave: 1, topology: false, namespace: 'team-a', kubeconfigSecret: 'prod-east-kubeconfig', workspace: 'team-a' });
    expect(c.fieldPath).toBe('spec.workspaces[0].clusters[0]');
  });

  test('kommander mode defaults its namespace to kommander-flux', () => {
    const f = baseFleet();
    f.spec.flux = { mode: 'kommander' };
    expect(parse(f).fleet.flux.namespace).toBe('kommander-flux');
  });

  test('accepts a leading v on Kubernetes versions and drops it', () => {
    const f = baseFleet();
    f.spec.management.kubernetesVersion = 'v1.21.6';
    expect(parse(f).fleet.management.kubernetesVersion).toBe('1.21.6');
  });

  test('accepts app names as strings or mappings', () => {
    const f = baseFleet();
    f.spec.workspaces[0].platformApps = ['cert-manager', { name: 'traefik', configOverrides: 'traefik-overrides' }];
    f.spec.workspaces[0].catalogApps = ['kafka-operator', { name: 'spark-operator', version: '1.1.17' }];
    const ws = parse(f).fleet.workspaces[0];
    expect(ws.platformApps).toEqual([
      { name: 'cert-manager', configOverrides: undefined, fieldPath: 'spec.workspaces[0].platformApps[0]' },
      { name: 'traefik', configOverrides: 'traefik-overrides', fieldPath: 'spec.workspaces[0].platformApps[1]' },
    ]);
    expect(ws.catalogApps.map((a) => [a.name, a.version])).toEqual([['kafka-operator', undefined], ['spark-operator', '1.1.17']]);
  });

  test('resolves spec.catalog against the fleet file folder', () => {
    const f = baseFleet();
    f.spec.catalog = './releases';
    const file = writeFleet(f);
    const { fleet } = loadFleet(file);
    expect(fleet.catalogDir).toBe(path.join(path.dirname(file), 'releases'));
    expect(fleet.konvoy.addonManifestsDir).toBe(path.join(path.dirname(file), 'examples', 'addons-azure'));
  });
});

describe('refusing a bad fleet file', () => {
  test('fails if the YAML is malformed, naming the line', () => {
    expect(problemsText('apiVersion: dkp-fleet/v1alpha1\nspec:\n  release: [2.2.1\n')).toEqual([
      expect.stringMatching(/^fleet\.yaml:\d+: \(syntax\): malformed YAML: /),
    ]);
  });

  test('fails if a key repeats', () => {
    expect(problemsText('kind: Fleet\nkind: Fleet\n')[0]).toMatch(/^fleet\.yaml:2: \(syntax\): malformed YAML: Map keys must be unique/);
  });

  test('fails if the file holds several documents', () => {
    expect(problemsText('kind: Fleet\n---\nkind: Fleet\n')).toEqual(['fleet.yaml:2: (document): the file holds 2 YAML documents; expected one']);
  });

  test('fails if the file is empty', () => {
    expect(problemsText('')).toEqual(['fleet.yaml: (document): the file is empty; expected one YAML document']);
  });

  test('fails if a field is unknown, suggesting the intended one', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clsuters = f.spec.workspaces[0].clusters;
    delete f.spec.workspaces[0].clusters;
    expect(problems(f)).toEqual([
      'fleet.yaml:22: spec.workspaces[0].clsuters: unknown field (did you mean "clusters"?); '
      + 'allowed fields: name, namespace, platformApps, catalogApps, customApps, projects, clusters',
    ]);
  });

  test('fails if a field has the wrong type', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].wave = 'first';
    expect(problems(f)).toEqual(['fleet.yaml:28: spec.workspaces[0].clusters[0].wave: expected a whole number from 1 to 1000, got a string ("first")']);
  });

  test('fails if a required field is missing', () => {
    const f = baseFleet();
    delete f.spec.management.provider;
    expect(problems(f)).toEqual(['fleet.yaml:11: spec.management.provider: required field is missing']);
  });

  test('fails if an enum value is not allowed, suggesting the closest', () => {
    const f = baseFleet();
    f.spec.flux = { mode: 'hubb' };
    expect(problems(f)).toEqual(['fleet.yaml:29: spec.flux.mode: "hubb" is not allowed (did you mean "hub"?); allowed values: hub, kommander']);
  });

  test('fails if a Kubernetes version is not MAJOR.MINOR.PATCH', () => {
    const f = baseFleet();
    f.spec.management.kubernetesVersion = '1.21';
    f.spec.workspaces[0].clusters[0].kubernetesVersion = 1.21;
    expect(problems(f)).toEqual([
      'fleet.yaml:14: spec.management.kubernetesVersion: "1.21" is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
      'fleet.yaml:25: spec.workspaces[0].clusters[0].kubernetesVersion: 1.21 is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
    ]);
  });

  test('fails if a release is not a semver version', () => {
    const f = baseFleet();
    f.spec.release = 'latest';
    expect(problems(f)).toEqual(['fleet.yaml:6: spec.release: "latest" is not a DKP release; expected MAJOR.MINOR.PATCH such as 2.2.1']);
  });

  test('fails if a name is not a valid Kubernetes name', () => {
    const f = baseFleet();
    f.spec.workspaces[0].name = 'Team_A';
    expect(problems(f)).toEqual([
      'fleet.yaml:21: spec.workspaces[0].name: "Team_A" is not a valid name; '
      + 'use 1 to 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit',
    ]);
  });

  test('fails if a hostile string is given as a name, showing it escaped and cut short', () => {
    const f = baseFleet();
    f.spec.management.name = `mgmt\n\u001b[31m${'x'.repeat(200)}`;
    const [p] = problems(f);
    expect(p).toMatch(/^fleet\.yaml:12: spec\.management\.name: "mgmt\\n\\u001b\[31mx+\.\.\. is not a valid name/);
    expect(p).not.toContain('\u001b');
    expect(p.length).toBeLessThan(250);
  });

  test('fails if names repeat: clusters, workspaces, namespaces, node pools and apps', () => {
    const f = baseFleet();
    f.spec.workspaces.push({ name: 'team-a', namespace: 'team-a', clusters: [{ name: 'mgmt', provider: 'aws', kubernetesVersion: '1.21.6' }] });
    f.spec.workspaces[0].clusters[0].nodePools.push({ name: 'prod-east-md-0' });
    f.spec.workspaces[0].platformApps = ['traefik', 'traefik'];
    expect(problems(f)).toEqual([
      'fleet.yaml:28: spec.workspaces[0].clusters[0].nodePools[1].name: node pool name "prod-east-md-0" is already used at '
      + 'spec.workspaces[0].clusters[0].nodePools[0].name; node pool names must be unique',
      'fleet.yaml:31: spec.workspaces[0].platformApps[1].name: app name "traefik" is already used at spec.workspaces[0].platformApps[0].name; '
      + 'app names must be unique',
      'fleet.yaml:32: spec.workspaces[1].name: workspace name "team-a" is already used at spec.workspaces[0].name; workspace names must be unique',
      'fleet.yaml:33: spec.workspaces[1].namespace: namespace "team-a" is already used at spec.workspaces[0].namespace; namespaces must be unique',
      'fleet.yaml:35: spec.workspaces[1].clusters[0].name: cluster name "mgmt" is already used at spec.management.name; cluster names must be unique',
    ]);
  });

  test('fails if clusters sharing a namespace share a node pool or control plane name', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'prod-west', provider: 'azure', kubernetesVersion: '1.21.6', controlPlane: { name: 'prod-east-control-plane' },
      nodePools: [{ name: 'prod-east-md-0' }] });
    expect(problems(f)).toEqual([
      'fleet.yaml:32: spec.workspaces[0].clusters[1].controlPlane.name: control plane name "prod-east-control-plane" '
      + 'is also used by cluster "prod-east" in namespace "team-a"; '
      + 'clusters sharing a namespace need distinct control plane names (DKP uses <cluster>-control-plane)',
      'fleet.yaml:34: spec.workspaces[0].clusters[1].nodePools[0].name: node pool name "prod-east-md-0" '
      + 'is also used by cluster "prod-east" in namespace "team-a"; '
      + 'clusters sharing a namespace need distinct node pool names (DKP uses <cluster>-<pool>)',
    ]);
  });

  test('fails if a workspace takes the management cluster\'s namespace', () => {
    const f = baseFleet();
    f.spec.workspaces[0].namespace = 'kommander';
    expect(problems(f)).toEqual([
      expect.stringMatching(/spec\.workspaces\[0\]\.namespace: "kommander" belongs to the management cluster's workspace; choose another namespace for workspace "team-a"$/),
    ]);
  });

  test('fails if an attached cluster carries Konvoy-only fields', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks', type: 'attached', kubernetesVersion: '1.21.14', provider: 'aws', wave: 2 });
    expect(problems(f)).toEqual([
      expect.stringMatching(/spec\.workspaces\[0\]\.clusters\[1\]\.provider: not used by attached clusters: DKP does not upgrade their Kubernetes/),
      expect.stringMatching(/spec\.workspaces\[0\]\.clusters\[1\]\.wave: not used by attached clusters/),
    ]);
  });

  test('fails if a cluster type is unknown', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].type = 'imported';
    expect(problems(f)).toEqual([expect.stringMatching(/clusters\[0\]\.type: "imported" is not allowed; allowed values: managed, attached$/)]);
  });

  test('fails if a project is placed on a cluster its workspace does not have', () => {
    const f = baseFleet();
    f.spec.workspaces[0].projects = [{ name: 'payments', clusters: ['nowhere'] }];
    expect(problems(f)).toEqual([
      expect.stringMatching(/spec\.workspaces\[0\]\.projects\[0\]\.clusters\[0\]: "nowhere" is not a cluster of workspace "team-a"; its clusters: prod-east$/),
    ]);
  });

  test('fails if the management kubeconfig is set in kommander mode', () => {
    const f = baseFleet();
    f.spec.flux = { mode: 'kommander', managementKubeConfig: { secretRef: { name: 'x' } } };
    expect(problems(f)).toEqual([expect.stringMatching(/spec\.flux\.managementKubeConfig: only used in hub mode/)]);
  });

  test('fails if durations, paths and version ranges are malformed', () => {
    const f = baseFleet();
    f.spec.flux = { interval: '10 minutes', path: '../outside' };
    f.spec.workspaces[0].customApps = [{ name: 'billing', version: '1.4.0', kubernetesVersions: 'soon' }];
    expect(problems(f)).toEqual([
      'fleet.yaml:31: spec.workspaces[0].customApps[0].kubernetesVersions: "soon" is not a version range; use a semver range such as ">=1.21.0 <1.23.0"',
      'fleet.yaml:33: spec.flux.interval: "10 minutes" is not a duration; use a number with a unit (ms, s, m, h), such as 90s, 10m or 1h30m',
      'fleet.yaml:34: spec.flux.path: "../outside" is not a path inside the repository; '
      + 'use a relative path of letters, digits, \'.\', \'_\', \'-\' and \'/\', without \'..\', such as ./dist',
    ]);
  });

  test('fails if apiVersion or kind are not the fleet\'s', () => {
    const f = baseFleet();
    f.apiVersion = 'v1';
    f.kind = 'ConfigMap';
    expect(problems(f)).toEqual([
      'fleet.yaml:1: apiVersion: "v1" is not supported; use dkp-fleet/v1alpha1',
      'fleet.yaml:2: kind: "ConfigMap" is not supported; use Fleet',
    ]);
  });

  test('fails if the fleet file cannot be read', () => {
    expect(problemsOf(() => loadFleet('/nonexistent/fleet.yaml'))).toEqual(['/nonexistent/fleet.yaml: (file): cannot be read: ENOENT']);
  });

  test('fails if the fleet file is a FIFO, without opening it, saying what a fleet file must be', () => {
    const fifo = path.join(tempDir(), 'fleet.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(problemsOf(() => loadFleet(fifo))).toEqual([
      `${fifo}: (file): is a FIFO; a fleet file must be a regular file (or a link to one); a FIFO or device is never opened`,
    ]);
  });

  test('reports every problem at once', () => {
    const f = baseFleet();
    f.spec.release = 'x';
    f.spec.management.provider = 'openstack';
    f.spec.workspaces[0].clusters[0].nodePools[0].name = 'MD';
    expect(problems(f)).toHaveLength(3);
  });
});
