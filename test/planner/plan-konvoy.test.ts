import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, problemsOf, tempDir, toYaml } from '../helpers';

const catalog = loadCatalog();
function plan(f: unknown, dir = tempDir()) {
  const { fleet } = parseFleet(toYaml(f), path.join(dir, 'fleet.yaml'));
  return planFleet(fleet, catalog, loadAddonSources(fleet));
}
const problems = (f: unknown, dir?: string) => problemsOf(() => plan(f, dir));
const layer = (f: unknown, name: string, dir?: string) => plan(f, dir).layers.find((l) => l.name === name)!;

/** A folder with addon manifests: `files` maps relative paths to content. */
function addonsDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'addons', rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'addons', rel), text);
  }
  return dir;
}

describe('the Cluster API providers layer', () => {
  test('installs every provider in use at the release versions, from ConfigMaps, with DKP\'s images', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'edge', provider: 'vsphere', kubernetesVersion: '1.21.6' });
    const l = layer(f, 'mgmt-capi-providers');
    expect(l.content.providers).toEqual([
      { kind: 'CoreProvider', name: 'cluster-api', namespace: 'capi-system', version: 'v1.1.3-d2iq.3', fetch: { configMapLabel: 'core-cluster-api' },
        image: 'docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3' },
      { kind: 'BootstrapProvider', name: 'kubeadm', namespace: 'capi-kubeadm-bootstrap-system', version: 'v1.1.3-d2iq.3',
        fetch: { configMapLabel: 'bootstrap-kubeadm' }, image: 'docker.io/mesosphere/kubeadm-bootstrap-controller:v1.1.3-d2iq.3' },
      { kind: 'ControlPlaneProvider', name: 'kubeadm', namespace: 'capi-kubeadm-control-plane-system', version: 'v1.1.3-d2iq.3',
        fetch: { configMapLabel: 'control-plane-kubeadm' }, image: 'docker.io/mesosphere/kubeadm-control-plane-controller:v1.1.3-d2iq.3' },
      { kind: 'InfrastructureProvider', name: 'azure', namespace: 'capz-system', version: 'v1.1.1', fetch: { configMapLabel: 'infrastructure-azure' } },
      { kind: 'InfrastructureProvider', name: 'vsphere', namespace: 'capv-system', version: 'v1.1.1', fetch: { configMapLabel: 'infrastructure-vsphere' } },
    ]);
    expect(l.changes).toEqual([
      { subject: 'CoreProvider capi-system/cluster-api', from: undefined, to: 'v1.1.3-d2iq.3' },
      { subject: 'BootstrapProvider capi-kubeadm-bootstrap-system/kubeadm', from: undefined, to: 'v1.1.3-d2iq.3' },
      { subject: 'ControlPlaneProvider capi-kubeadm-control-plane-system/kubeadm', from: undefined, to: 'v1.1.3-d2iq.3' },
      { subject: 'InfrastructureProvider capz-system/azure', from: undefined, to: 'v1.1.1' },
      { subject: 'InfrastructureProvider capv-system/vsphere', from: undefined, to: 'v1.1.1' },
    ]);
    expect(l.checks.map((c) => `${c.kind}/${c.name}:${c.expect.type}`)).toEqual([
      'CoreProvider/cluster-api:provider', 'BootstrapProvider/kubeadm:provider', 'ControlPlaneProvider/kubeadm:provider',
      'InfrastructureProvider/azure:provider', 'InfrastructureProvider/vsphere:provider',
    ]);
  });

  test('fetches from the components URL where the release records one', () => {
    const f = baseFleet();
    f.spec.release = '2.1.5';
    f.spec.currentRelease = '2.1.4';
    delete f.spec.konvoy;
    f.spec.management.kubernetesVersion = '1.21.6';
    expect(problems(f)).toEqual([
      'spec.release: release 2.1.5 does not record the versions of the core provider (cluster-api), '
      + 'kubeadm bootstrap provider and kubeadm control plane provider '
      + '(unknown in src/catalog/releases/2.1.5.yaml); add them under capiProviders in a release file in the folder named by spec.catalog '
      + '(read them with `kubectl get providers -A` or from your DKP bundle), or set spec.konvoy.enabled: false to upgrade Kommander and the apps only',
      'spec.management.provider: release 2.1.5 does not record the version of the azure infrastructure provider (unknown in src/catalog/releases/2.1.5.yaml); '
      + 'add it under capiProviders in a release file in the folder named by spec.catalog (read them with `kubectl get providers -A` or from your DKP bundle), '
      + 'or set spec.konvoy.enabled: false to upgrade Kommander and the apps only',
      'spec.management.provider: release 2.1.5 does not record the core addons of azure clusters (unknown in src/catalog/releases/2.1.5.yaml); add coreAddons '
      + 'to a release file in the folder named by spec.catalog, or set spec.konvoy.addons.delivery: clusterResourceSet and supply the addon manifests',
      'spec.workspaces[0].clusters[0].provider: release 2.1.5 does not record the core addons of azure clusters (unknown in src/catalog/releases/2.1.5.yaml); '
      + 'add coreAddons to a release file in the folder named by spec.catalog, '
      + 'or set spec.konvoy.addons.delivery: clusterResourceSet and supply the addon manifests',
    ]);
  });

  test('fails if the components URL of a provider is unknown, naming it and the ConfigMap alternative', () => {
    const f = baseFleet();
    delete f.spec.konvoy;
    expect(problems(f)).toEqual([
      'spec.release: release 2.2.0 records no components URL for the core provider cluster-api v1.1.3-d2iq.3 '
      + '(unknown: no public release assets are known for it); '
      + 'set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, "Provider components"), '
      + 'or add capiProviders url to a release file in the folder named by spec.catalog',
      'spec.release: release 2.2.0 records no components URL for the bootstrap provider kubeadm v1.1.3-d2iq.3 '
      + '(unknown: no public release assets are known for it); '
      + 'set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, "Provider components"), '
      + 'or add capiProviders url to a release file in the folder named by spec.catalog',
      'spec.release: release 2.2.0 records no components URL for the control-plane provider kubeadm v1.1.3-d2iq.3 '
      + '(unknown: no public release assets are known for it); '
      + 'set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, "Provider components"), '
      + 'or add capiProviders url to a release file in the folder named by spec.catalog',
    ]);
  });

  test('fails if a provider in use has no known version in the release, naming the fact to supply', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks-ish', provider: 'aws', kubernetesVersion: '1.21.6' });
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[1].provider: release 2.2.0 does not record the version of the aws infrastructure provider '
      + '(unknown in src/catalog/releases/2.2.0.yaml); '
      + 'add it under capiProviders in a release file in the folder named by spec.catalog (read them with `kubectl get providers -A` or from your DKP bundle), '
      + 'or set spec.konvoy.enabled: false to upgrade Kommander and the apps only',
    ]);
  });
});

describe('the core addons layers', () => {
  test('give each cluster one HelmChartProxy per addon, pinned, in its namespace', () => {
    const l = layer(baseFleet(), 'cluster-prod-east-core-addons');
    expect(l.content.helmChartProxies.map((h) => [h.name, h.namespace, h.cluster, h.chartName, h.version, h.releaseNamespace])).toEqual([
      ['calico-prod-east', 'team-a', 'prod-east', 'tigera-operator', 'v3.22.1', 'tigera-operator'],
      ['azure-disk-csi-prod-east', 'team-a', 'prod-east', 'azuredisk-csi-driver', 'v1.15.0', 'kube-system'],
      ['cluster-autoscaler-prod-east', 'team-a', 'prod-east', 'cluster-autoscaler', '9.24.0', 'kube-system'],
      ['node-feature-discovery-prod-east', 'team-a', 'prod-east', 'node-feature-discovery', '0.10.1', 'node-feature-discovery'],
      ['nvidia-feature-discovery-prod-east', 'team-a', 'prod-east', 'gpu-feature-discovery', '0.4.1', 'node-feature-discovery'],
    ]);
    expect(l.changes[0]).toEqual({ subject: 'HelmChartProxy team-a/calico-prod-east', from: undefined, to: '3.22.1' });
    expect(new Set(l.checks.map((c) => c.expect.type))).toEqual(new Set(['helm-chart-proxy']));
  });

  test('take values templates from the values folder, the most specific file first', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'values', 'clusters', 'prod-east'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'values', 'calico.yaml'), 'installation: {cni: {type: Calico}}\n');
    fs.writeFileSync(path.join(dir, 'values', 'clusters', 'prod-east', 'calico.yaml'), 'installation: {cni: {type: Calico}, kubernetesProvider: AKS}\n');
    const f = baseFleet();
    f.spec.konvoy.addons = { values: './values' };
    const proxies = (name: string) => layer(f, name, dir).content.helmChartProxies.find((h) => h.releaseName === 'calico')!.valuesTemplate;
    expect(proxies('cluster-prod-east-core-addons')).toBe('installation: {cni: {type: Calico}, kubernetesProvider: AKS}\n');
    expect(proxies('mgmt-core-addons')).toBe('installation: {cni: {type: Calico}}\n');
  });

  test('fails if an addon has no usable chart, naming it and the ClusterResourceSet way', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].provider = 'preprovisioned';
    expect(problems(f)).toEqual([
      'spec.workspaces[0].clusters[0].provider: core addon local-volume-provisioner 2.4.0 of preprovisioned clusters in release 2.2.0 has no usable Helm chart '
      + '(src/catalog/releases/2.2.0.yaml); deliver it by ClusterResourceSet: '
      + 'add "local-volume-provisioner" to spec.konvoy.addons.clusterResourceSetAddons and put its '
      + 'manifests in <spec.konvoy.addons.manifests>/clusters/prod-east/local-volume-provisioner/ or .../providers/preprovisioned/local-volume-provisioner/',
    ]);
  });

  test('deliver the addons listed for ClusterResourceSet from the manifests folder', () => {
    const dir = addonsDir({
      'providers/preprovisioned/local-volume-provisioner/lvp.yaml': 'kind: Namespace\n',
      'providers/preprovisioned/local-volume-provisioner/a.yaml': 'kind: A\n',
    });
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].provider = 'preprovisioned';
    f.spec.konvoy.addons = { clusterResourceSetAddons: ['local-volume-provisioner'], manifests: './addons' };
    const l = layer(f, 'cluster-prod-east-core-addons', dir);
    expect(l.content.clusterResourceSets).toEqual([{
      name: 'local-volume-provisioner-prod-east', namespace: 'team-a', cluster: 'prod-east', strategy: 'ApplyAlways',
      data: { 'a.yaml': 'kind: A\n', 'lvp.yaml': 'kind: Namespace\n' },
    }]);
    expect(l.content.helmChartProxies.map((h) => h.releaseName)).toEqual(['calico', 'node-feature-discovery', 'nvidia-feature-discovery', 'metallb']);
  });

  test('deliver everything by ClusterResourceSet when asked, cluster folders before provider folders', () => {
    const dir = addonsDir({
      'providers/azure/calico-cni-installation/installation.yaml': 'kind: Installation\n',
      'providers/azure/tigera-operator/operator.yaml': 'kind: Deployment\n',
      'clusters/prod-east/calico-cni-installation/installation.yaml': 'kind: Installation # prod-east\n',
    });
    const f = baseFleet();
    f.spec.konvoy.addons = { delivery: 'clusterResourceSet', manifests: './addons' };
    const sets = layer(f, 'cluster-prod-east-core-addons', dir).content.clusterResourceSets;
    expect(sets.map((s) => [s.name, Object.values(s.data)[0]])).toEqual([
      ['calico-cni-installation-prod-east', 'kind: Installation # prod-east\n'],
      ['tigera-operator-prod-east', 'kind: Deployment\n'],
    ]);
    expect(layer(f, 'cluster-prod-east-core-addons', dir).content.helmChartProxies).toEqual([]);
  });

  test('fails if ClusterResourceSet delivery finds no manifests for a cluster', () => {
    const dir = addonsDir({ 'providers/vsphere/x/x.yaml': 'kind: X\n' });
    const f = baseFleet();
    f.spec.konvoy.addons = { delivery: 'clusterResourceSet', manifests: './addons' };
    expect(problems(f, dir)).toEqual([
      'spec.management.name: no addon manifests for cluster "mgmt": '
      + `ClusterResourceSet delivery reads them from ${path.join(dir, 'addons')}/clusters/mgmt/<addon>/ `
      + 'or .../providers/azure/<addon>/',
      'spec.workspaces[0].clusters[0].name: no addon manifests for cluster "prod-east": '
      + `ClusterResourceSet delivery reads them from ${path.join(dir, 'addons')}/clusters/prod-east/<addon>/ `
      + 'or .../providers/azure/<addon>/',
    ]);
  });

  test('fails if the manifests folder holds malformed YAML or misplaced files, naming them', () => {
    const dir = addonsDir({ 'providers/azure/calico/bad.yaml': 'a: [1\n', 'providers/azure/notes.txt': 'x', 'providers/azure/Bad_Name/x.yaml': 'a: 1\n' });
    const f = baseFleet();
    f.spec.konvoy.addons = { delivery: 'clusterResourceSet', manifests: './addons' };
    const root = path.join(dir, 'addons', 'providers', 'azure');
    expect(problemsOf(() => plan(f, dir))).toEqual([
      `${root}/Bad_Name: folder or file name "Bad_Name" is not a valid name; `
      + "use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
      expect.stringMatching(new RegExp(`^${root}/calico/bad\\.yaml:2: \\(syntax\\): malformed YAML: `)),
      `${root}/calico: holds no manifest (*.yaml); an addon folder needs at least one`,
      `${root}/notes.txt: expected a folder named after an addon, holding its manifests (*.yaml)`,
    ]);
  });
});

describe('Kubernetes version layers', () => {
  test('write the whole machine template reference when the fleet names a new template', () => {
    const f = baseFleet();
    f.spec.management.controlPlane = { machineTemplate: 'mgmt-cp-1-22-8' };
    f.spec.workspaces[0].clusters[0].nodePools[0].machineTemplate = {
      name: 'md-0-v2', kind: 'AzureMachinePoolTemplate', apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    };
    expect(layer(f, 'mgmt-control-plane').content.versionPatches).toEqual([{
      kind: 'KubeadmControlPlane', name: 'mgmt-control-plane', namespace: 'default', version: 'v1.22.8',
      machineTemplate: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AzureMachineTemplate', name: 'mgmt-cp-1-22-8', namespace: 'default' },
    }]);
    expect(layer(f, 'cluster-prod-east-node-pools').content.versionPatches[0].machineTemplate).toEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AzureMachinePoolTemplate', name: 'md-0-v2', namespace: 'team-a',
    });
  });

  test('fails if a ClusterClass cluster names a control plane or node pools', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].topology = true;
    expect(problems(f)).toEqual([
      expect.stringMatching(/fleet\.yaml:25: spec\.workspaces\[0\]\.clusters\[0\]\.nodePools: not used by ClusterClass clusters \(topology: true\): /),
    ]);
  });
});
