import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, catalogWith, copyAddonFolders, problemsOf, ROOT, tempDir, toYaml } from '../helpers';

const catalog = loadCatalog();
/** Plans a fleet as if its file were in `dir`, with the repository's addon folders it names copied there (the test's own kept). */
function plan(f: unknown, dir = tempDir()) {
  copyAddonFolders(f, dir);
  const { fleet } = parseFleet(toYaml(f), path.join(dir, 'fleet.yaml'));
  return planFleet(fleet, catalog, loadAddonSources(fleet));
}
const problems = (f: unknown, dir?: string) => problemsOf(() => plan(f, dir));
const layer = (f: unknown, name: string, dir?: string) => plan(f, dir).layers.find((l) => l.name === name)!;

/** HelmChartProxy delivery, with the placeholder values of the charts whose defaults are unsafe (calico, cluster-autoscaler, nvidia-feature-discovery). */
const HELM = { delivery: 'helmChartProxy', values: './examples/addon-values' };

/** `sha256:<hex>` over a ConfigMap's data values in key order: the hash a ClusterResourceSetBinding records (computed here, not by dkp-fleet). */
const bindingHash = (...values: string[]) => `sha256:${values.reduce((h, v) => h.update(v), crypto.createHash('sha256')).digest('hex')}`;
const azureAddon = (addon: string) => fs.readFileSync(path.join(ROOT, 'examples', 'addons-azure', 'providers', 'azure', addon, 'manifests.yaml'), 'utf8');

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
  const DKP_CLI = 'upgraded by `dkp upgrade capi-components`; watched';

  test('by default writes no provider object and waits for every manager Deployment in use to roll out at the release version', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'edge', provider: 'vsphere', kubernetesVersion: '1.21.6' });
    f.spec.konvoy.addons.manifests = './addons';
    const dir = addonsDir({
      'providers/azure/calico-cni-installation/installation.yaml': 'kind: Installation\n',
      'providers/vsphere/calico-cni-installation/installation.yaml': 'kind: Installation\n',
    });
    const l = layer(f, 'mgmt-capi-providers', dir);
    expect(l.content.providers).toEqual([]);
    const rollout = (namespace: string, name: string, tag: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', namespace, name, expect: { type: 'rollout', containers: [{ name: 'manager', image: tag, match: 'tag' }] },
      applied: false,
    });
    expect(l.checks).toEqual([
      rollout('capi-system', 'capi-controller-manager', 'v1.1.3-d2iq.3'),
      rollout('capi-kubeadm-bootstrap-system', 'capi-kubeadm-bootstrap-controller-manager', 'v1.1.3-d2iq.3'),
      rollout('capi-kubeadm-control-plane-system', 'capi-kubeadm-control-plane-controller-manager', 'v1.1.3-d2iq.3'),
      rollout('capz-system', 'capz-controller-manager', 'v1.1.1'),
      rollout('capv-system', 'capv-controller-manager', 'v1.1.1'),
    ]);
    expect(l.changes).toEqual([
      { subject: 'core provider (cluster-api) (Deployment capi-system/capi-controller-manager)', from: undefined, to: 'v1.1.3-d2iq.3', note: DKP_CLI },
      {
        subject: 'kubeadm bootstrap provider (Deployment capi-kubeadm-bootstrap-system/capi-kubeadm-bootstrap-controller-manager)', from: undefined,
        to: 'v1.1.3-d2iq.3', note: DKP_CLI,
      },
      {
        subject: 'kubeadm control plane provider (Deployment capi-kubeadm-control-plane-system/capi-kubeadm-control-plane-controller-manager)', from: undefined,
        to: 'v1.1.3-d2iq.3', note: DKP_CLI,
      },
      { subject: 'azure infrastructure provider (Deployment capz-system/capz-controller-manager)', from: undefined, to: 'v1.1.1', note: DKP_CLI },
      { subject: 'vsphere infrastructure provider (Deployment capv-system/capv-controller-manager)', from: undefined, to: 'v1.1.1', note: DKP_CLI },
    ]);
    expect(l.summary).toBe('Cluster API providers on mgmt, upgraded by `dkp upgrade capi-components`: core provider (cluster-api) v1.1.3-d2iq.3, '
      + 'kubeadm bootstrap provider v1.1.3-d2iq.3, kubeadm control plane provider v1.1.3-d2iq.3, azure infrastructure provider v1.1.1, '
      + 'vsphere infrastructure provider v1.1.1');
    expect(layer(f, 'mgmt-preflight', dir).checks.filter((c) => c.apiVersion.startsWith('operator.'))).toEqual([]);
  });

  test('through cluster-api-operator: installs every provider in use at the release versions, from ConfigMaps, with DKP\'s images', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'edge', provider: 'preprovisioned', kubernetesVersion: '1.21.6' });
    f.spec.konvoy.providers = 'clusterApiOperator';
    f.spec.konvoy.providerComponents = 'configMaps';
    f.spec.konvoy.addons.manifests = './addons';
    const dir = addonsDir({
      'providers/azure/calico-cni-installation/installation.yaml': 'kind: Installation\n',
      'providers/preprovisioned/calico-cni-installation/installation.yaml': 'kind: Installation\n',
    });
    const l = layer(f, 'mgmt-capi-providers', dir);
    expect(l.content.providers).toEqual([
      { kind: 'CoreProvider', name: 'cluster-api', namespace: 'capi-system', version: 'v1.1.3-d2iq.3', fetch: { configMapLabel: 'core-cluster-api' },
        image: 'docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3' },
      { kind: 'BootstrapProvider', name: 'kubeadm', namespace: 'capi-kubeadm-bootstrap-system', version: 'v1.1.3-d2iq.3',
        fetch: { configMapLabel: 'bootstrap-kubeadm' }, image: 'docker.io/mesosphere/kubeadm-bootstrap-controller:v1.1.3-d2iq.3' },
      { kind: 'ControlPlaneProvider', name: 'kubeadm', namespace: 'capi-kubeadm-control-plane-system', version: 'v1.1.3-d2iq.3',
        fetch: { configMapLabel: 'control-plane-kubeadm' }, image: 'docker.io/mesosphere/kubeadm-control-plane-controller:v1.1.3-d2iq.3' },
      { kind: 'InfrastructureProvider', name: 'azure', namespace: 'capz-system', version: 'v1.1.1', fetch: { configMapLabel: 'infrastructure-azure' } },
      { kind: 'InfrastructureProvider', name: 'preprovisioned', namespace: 'cappp-system', version: 'v0.6.2',
        fetch: { configMapLabel: 'infrastructure-preprovisioned' } },
    ]);
    expect(l.changes).toEqual([
      { subject: 'CoreProvider capi-system/cluster-api', from: undefined, to: 'v1.1.3-d2iq.3' },
      { subject: 'BootstrapProvider capi-kubeadm-bootstrap-system/kubeadm', from: undefined, to: 'v1.1.3-d2iq.3' },
      { subject: 'ControlPlaneProvider capi-kubeadm-control-plane-system/kubeadm', from: undefined, to: 'v1.1.3-d2iq.3' },
      { subject: 'InfrastructureProvider capz-system/azure', from: undefined, to: 'v1.1.1' },
      { subject: 'InfrastructureProvider cappp-system/preprovisioned', from: 'v0.4.0', to: 'v0.6.2' },
    ]);
    // Each provider object, then its manager Deployment: at the image DKP ships where the release names it (the operator sets it), else at the tag.
    expect(l.checks.map((c) => `${c.kind} ${c.namespace}/${c.name} ${JSON.stringify(c.expect)}`)).toEqual([
      'CoreProvider capi-system/cluster-api {"type":"provider","version":"v1.1.3-d2iq.3"}',
      'Deployment capi-system/capi-controller-manager {"type":"rollout","containers":[{"name":"manager",'
      + '"image":"docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3","match":"exact"}]}',
      'BootstrapProvider capi-kubeadm-bootstrap-system/kubeadm {"type":"provider","version":"v1.1.3-d2iq.3"}',
      'Deployment capi-kubeadm-bootstrap-system/capi-kubeadm-bootstrap-controller-manager {"type":"rollout","containers":[{"name":"manager",'
      + '"image":"docker.io/mesosphere/kubeadm-bootstrap-controller:v1.1.3-d2iq.3","match":"exact"}]}',
      'ControlPlaneProvider capi-kubeadm-control-plane-system/kubeadm {"type":"provider","version":"v1.1.3-d2iq.3"}',
      'Deployment capi-kubeadm-control-plane-system/capi-kubeadm-control-plane-controller-manager {"type":"rollout","containers":[{"name":"manager",'
      + '"image":"docker.io/mesosphere/kubeadm-control-plane-controller:v1.1.3-d2iq.3","match":"exact"}]}',
      'InfrastructureProvider capz-system/azure {"type":"provider","version":"v1.1.1"}',
      'Deployment capz-system/capz-controller-manager {"type":"rollout","containers":[{"name":"manager","image":"v1.1.1","match":"tag"}]}',
      'InfrastructureProvider cappp-system/preprovisioned {"type":"provider","version":"v0.6.2"}',
      'Deployment cappp-system/cappp-controller-manager {"type":"rollout","containers":[{"name":"manager","image":"v0.6.2","match":"tag"}]}',
    ]);
    expect(l.checks.map((c) => c.applied)).toEqual([true, false, true, false, true, false, true, false, true, false]);
    // The preflight proves the operator already manages every provider: at the current or target version where the catalog
    // records the current one (2.1.1 records only cappp's), else at any version (one the DKP CLI installed has no operator object).
    expect(layer(f, 'mgmt-preflight', dir).checks.filter((c) => c.apiVersion.startsWith('operator.'))
      .map((c) => `${c.kind} ${c.namespace}/${c.name} ${JSON.stringify(c.expect)}`)).toEqual([
      'CoreProvider capi-system/cluster-api {"type":"provider-installed","versions":[]}',
      'BootstrapProvider capi-kubeadm-bootstrap-system/kubeadm {"type":"provider-installed","versions":[]}',
      'ControlPlaneProvider capi-kubeadm-control-plane-system/kubeadm {"type":"provider-installed","versions":[]}',
      'InfrastructureProvider capz-system/azure {"type":"provider-installed","versions":[]}',
      'InfrastructureProvider cappp-system/preprovisioned {"type":"provider-installed","versions":["v0.4.0","v0.6.2"]}',
    ]);
  });

  test('through cluster-api-operator: fetches from the components URL where the release records one', () => {
    const f = baseFleet();
    f.spec.release = '2.1.0';
    delete f.spec.currentRelease;
    f.spec.konvoy.providers = 'clusterApiOperator';
    f.spec.workspaces[0].clusters[0].targetKubernetesVersion = '1.21.6';
    f.spec.management.targetKubernetesVersion = '1.21.6';
    expect(layer(f, 'mgmt-capi-providers').content.providers.map((p) => [p.kind, p.name, p.version, p.fetch])).toEqual([
      ['CoreProvider', 'cluster-api', 'v0.4.4', { url: 'https://github.com/kubernetes-sigs/cluster-api/releases/v0.4.4/core-components.yaml' }],
      ['BootstrapProvider', 'kubeadm', 'v0.4.4', { url: 'https://github.com/kubernetes-sigs/cluster-api/releases/v0.4.4/bootstrap-components.yaml' }],
      ['ControlPlaneProvider', 'kubeadm', 'v0.4.4', { url: 'https://github.com/kubernetes-sigs/cluster-api/releases/v0.4.4/control-plane-components.yaml' }],
      ['InfrastructureProvider', 'azure', 'v0.5.3', {
        url: 'https://github.com/kubernetes-sigs/cluster-api-provider-azure/releases/v0.5.3/infrastructure-components.yaml',
      }],
    ]);
  });

  test('fails if the release does not record the providers in use, naming the facts to supply', () => {
    const f = baseFleet();
    f.spec.release = '2.1.5';
    f.spec.currentRelease = '2.1.4';
    f.spec.konvoy.addons = { delivery: 'helmChartProxy' };
    f.spec.management.kubernetesVersion = '1.21.6';
    expect(problems(f)).toEqual([
      'spec.release: release 2.1.5 does not record the versions of the core provider (cluster-api), '
      + 'kubeadm bootstrap provider and kubeadm control plane provider '
      + '(unknown in src/catalog/releases/2.1.5.yaml); add them under capiProviders in 2.1.5.yaml in the folder named by spec.catalog, '
      + 'an overlay of version and the fields it adds '
      + '(read them with `kubectl get deployments -A -l clusterctl.cluster.x-k8s.io` or from your DKP bundle), '
      + 'or set spec.konvoy.enabled: false to upgrade Kommander and the apps only',
      'spec.management.provider: release 2.1.5 does not record the version of the azure infrastructure provider (unknown in src/catalog/releases/2.1.5.yaml); '
      + 'add it under capiProviders in 2.1.5.yaml in the folder named by spec.catalog, an overlay of version and the fields it adds '
      + '(read them with `kubectl get deployments -A -l clusterctl.cluster.x-k8s.io` or from your DKP bundle), '
      + 'or set spec.konvoy.enabled: false to upgrade Kommander and the apps only',
      'spec.management.provider: release 2.1.5 does not record the core addons of azure clusters (unknown in src/catalog/releases/2.1.5.yaml); '
      + 'add coreAddons.azure to 2.1.5.yaml in the folder named by spec.catalog (an overlay: version and the fields it adds), '
      + 'or set spec.konvoy.addons.delivery: clusterResourceSet and supply the addon manifests',
      'spec.workspaces[0].clusters[0].provider: release 2.1.5 does not record the core addons of azure clusters (unknown in src/catalog/releases/2.1.5.yaml); '
      + 'add coreAddons.azure to 2.1.5.yaml in the folder named by spec.catalog (an overlay: version and the fields it adds), '
      + 'or set spec.konvoy.addons.delivery: clusterResourceSet and supply the addon manifests',
    ]);
  });

  test('fails if the components URL of a provider is unknown, naming it and the ConfigMap alternative (cluster-api-operator only)', () => {
    const f = baseFleet();
    expect(() => plan(f)).not.toThrow(); // the DKP CLI brings its own components
    f.spec.konvoy.providers = 'clusterApiOperator';
    expect(problems(f)).toEqual([
      'spec.release: release 2.2.0 records no components URL for the core provider cluster-api v1.1.3-d2iq.3 '
      + '(unknown: no public release assets are known for it); '
      + 'set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, "Provider components"), '
      + 'or add its url under capiProviders to 2.2.0.yaml in the folder named by spec.catalog (an overlay)',
      'spec.release: release 2.2.0 records no components URL for the bootstrap provider kubeadm v1.1.3-d2iq.3 '
      + '(unknown: no public release assets are known for it); '
      + 'set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, "Provider components"), '
      + 'or add its url under capiProviders to 2.2.0.yaml in the folder named by spec.catalog (an overlay)',
      'spec.release: release 2.2.0 records no components URL for the control-plane provider kubeadm v1.1.3-d2iq.3 '
      + '(unknown: no public release assets are known for it); '
      + 'set spec.konvoy.providerComponents: configMaps and create its ConfigMap from your DKP bundle (README, "Provider components"), '
      + 'or add its url under capiProviders to 2.2.0.yaml in the folder named by spec.catalog (an overlay)',
    ]);
  });

  test('fails if a provider in use has no known version in the release, naming the fact to supply', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters.push({ name: 'eks-ish', provider: 'aws', kubernetesVersion: '1.21.6' });
    const dir = tempDir();
    expect(problems(f, dir)).toEqual([
      'spec.workspaces[0].clusters[1].provider: release 2.2.0 does not record the version of the aws infrastructure provider '
      + '(unknown in src/catalog/releases/2.2.0.yaml); add it under capiProviders in 2.2.0.yaml in the folder named by spec.catalog, '
      + 'an overlay of version and the fields it adds '
      + '(read them with `kubectl get deployments -A -l clusterctl.cluster.x-k8s.io` or from your DKP bundle), '
      + 'or set spec.konvoy.enabled: false to upgrade Kommander and the apps only',
      'spec.workspaces[0].clusters[1].name: no addon manifests for cluster "eks-ish": ClusterResourceSet delivery reads them from '
      + `${path.join(dir, 'examples', 'addons-azure')}/clusters/eks-ish/<addon>/ or .../providers/aws/<addon>/`,
    ]);
  });
});

describe('the core addons layers', () => {
  test('by default go as the current release delivered them: ClusterResourceSets from the manifests, the binding checked for their content', () => {
    const l = layer(baseFleet(), 'cluster-prod-east-core-addons');
    const addons = ['azure-disk-csi', 'calico-cni-installation', 'cluster-autoscaler', 'node-feature-discovery', 'nvidia-feature-discovery'];
    expect(l.content.helmChartProxies).toEqual([]);
    expect(l.content.clusterResourceSets).toEqual(addons.map((a) => ({
      name: `${a}-prod-east`, namespace: 'team-a', cluster: 'prod-east', strategy: 'ApplyAlways', data: { 'manifests.yaml': azureAddon(a) },
    })));
    expect(l.changes).toEqual(addons.map((a) => ({ subject: `ClusterResourceSet team-a/${a}-prod-east`, to: 'manifests from spec.konvoy.addons.manifests' })));
    expect(l.checks).toEqual([
      ...addons.map((a) => ({
        apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', name: `${a}-prod-east`, namespace: 'team-a',
        expect: { type: 'resource-set' }, applied: true,
      })),
      {
        apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSetBinding', name: 'prod-east', namespace: 'team-a',
        expect: {
          type: 'resource-set-binding', strategy: 'ApplyAlways',
          sets: addons.map((a) => ({ clusterResourceSet: `${a}-prod-east`, configMap: `${a}-prod-east`, hash: bindingHash(azureAddon(a)) })),
        },
        applied: false,
      },
    ]);
    expect(l.target).toEqual({ cluster: 'mgmt', management: true, kubeconfigSecret: 'mgmt-kubeconfig' });
  });

  test('check the workloads of a managed cluster\'s addon manifests on that cluster, before its control plane moves', () => {
    const p = plan(baseFleet());
    const ready = p.layers.find((l) => l.name === 'cluster-prod-east-addons-ready')!;
    expect(ready.kind).toBe('core-addons');
    expect(ready.dependsOn).toEqual(['cluster-prod-east-core-addons']);
    expect(p.layers.find((l) => l.name === 'cluster-prod-east-control-plane')!.dependsOn).toEqual(['cluster-prod-east-addons-ready']);
    expect(ready.target).toEqual({ cluster: 'prod-east', management: false, kubeconfigSecret: 'prod-east-kubeconfig', secretNamespace: 'team-a' });
    expect(ready.content.clusterResourceSets).toEqual([]);
    const workload = (kind: string, namespace: string, name: string, containers: [string, string][]) => ({
      apiVersion: 'apps/v1', kind, namespace, name, applied: false,
      expect: { type: 'rollout', containers: containers.map(([c, image]) => ({ name: c, image, match: 'exact' })) },
    });
    const workloads = [
      workload('Deployment', 'kube-system', 'csi-azuredisk-controller', [['azuredisk', 'mcr.microsoft.com/k8s/csi/azuredisk-csi:v1.15.0']]),
      workload('DaemonSet', 'kube-system', 'csi-azuredisk-node', [['azuredisk', 'mcr.microsoft.com/k8s/csi/azuredisk-csi:v1.15.0']]),
      workload('Deployment', 'kube-system', 'cluster-autoscaler', [['cluster-autoscaler', 'k8s.gcr.io/autoscaling/cluster-autoscaler:v1.23.0']]),
      workload('Deployment', 'node-feature-discovery', 'node-feature-discovery-master', [['master', 'k8s.gcr.io/nfd/node-feature-discovery:v0.10.1']]),
      workload('DaemonSet', 'node-feature-discovery', 'node-feature-discovery-worker', [['worker', 'k8s.gcr.io/nfd/node-feature-discovery:v0.10.1']]),
      workload('DaemonSet', 'node-feature-discovery', 'gpu-feature-discovery', [['gpu-feature-discovery', 'nvcr.io/nvidia/gpu-feature-discovery:v0.4.1']]),
    ];
    expect(ready.checks).toEqual(workloads);
    // The management cluster's addons run where its layers apply: mgmt-core-addons checks their workloads itself.
    const mgmt = p.layers.find((l) => l.name === 'mgmt-core-addons')!;
    expect(mgmt.checks.filter((c) => c.apiVersion === 'apps/v1')).toEqual(workloads);
    expect(p.layers.map((l) => l.name)).not.toContain('mgmt-addons-ready');
    expect(p.notes).toContain('Core addons whose workloads are not checked on their cluster: mgmt: calico-cni-installation (its manifests hold no Deployment, '
      + 'DaemonSet or StatefulSet to check on the cluster); prod-east: calico-cni-installation (its manifests hold no Deployment, DaemonSet or StatefulSet '
      + 'to check on the cluster).');
  });

  test('default to the target release\'s delivery without a current release, and fail if neither records one', () => {
    const f = baseFleet();
    delete f.spec.currentRelease;
    expect(layer(f, 'cluster-prod-east-core-addons').content.clusterResourceSets).toHaveLength(5);
    f.spec.release = '2.3.0';
    f.spec.management.targetKubernetesVersion = '1.22.8';
    f.spec.workspaces[0].clusters[0].targetKubernetesVersion = '1.22.8';
    expect(problems(f)).toContain('spec.konvoy.addons.delivery: required: release 2.3.0 does not record how DKP delivered core addons '
      + '(unknown in src/catalog/releases/2.3.0.yaml); set clusterResourceSet (DKP 2.1 and 2.2 used ClusterResourceSets) or helmChartProxy');
  });

  test('give each cluster one HelmChartProxy per addon, pinned, in its namespace, when asked', () => {
    const f = baseFleet();
    f.spec.konvoy.addons = HELM;
    const p = plan(f);
    const l = p.layers.find((x) => x.name === 'cluster-prod-east-core-addons')!;
    expect(l.content.helmChartProxies.map((h) => [h.name, h.namespace, h.cluster, h.chartName, h.version, h.releaseNamespace])).toEqual([
      ['calico-prod-east', 'team-a', 'prod-east', 'tigera-operator', 'v3.22.1', 'tigera-operator'],
      ['azure-disk-csi-prod-east', 'team-a', 'prod-east', 'azuredisk-csi-driver', 'v1.15.0', 'kube-system'],
      ['cluster-autoscaler-prod-east', 'team-a', 'prod-east', 'cluster-autoscaler', '9.24.0', 'kube-system'],
      ['node-feature-discovery-prod-east', 'team-a', 'prod-east', 'node-feature-discovery', '0.10.1', 'node-feature-discovery'],
      ['nvidia-feature-discovery-prod-east', 'team-a', 'prod-east', 'gpu-feature-discovery', '0.4.1', 'node-feature-discovery'],
    ]);
    expect(l.changes[0]).toEqual({ subject: 'HelmChartProxy team-a/calico-prod-east', from: undefined, to: '3.22.1' });
    expect(l.checks.map((c) => [c.kind, c.name, c.expect, c.applied])).toEqual(l.content.helmChartProxies.map((h) => [
      'HelmChartProxy', h.name, { type: 'helm-chart-proxy', version: h.version }, true,
    ]));
    expect(l.content.helmChartProxies.filter((h) => h.valuesTemplate !== undefined).map((h) => h.releaseName))
      .toEqual(['calico', 'cluster-autoscaler', 'nvidia-feature-discovery']);
    // The charts' workloads are not known here: no layer checks them on the cluster, and the plan says so.
    expect(p.layers.map((x) => x.name)).not.toContain('cluster-prod-east-addons-ready');
    expect(p.layers.find((x) => x.name === 'cluster-prod-east-control-plane')!.dependsOn).toEqual(['cluster-prod-east-core-addons']);
    expect(p.notes).toContainEqual(expect.stringMatching(/^Core addons whose workloads are not checked on their cluster: mgmt: calico \(HelmChartProxy: /));
  });

  test('fails if an addon whose chart defaults are unsafe has no values template, naming where to put one', () => {
    const f = baseFleet();
    f.spec.konvoy.addons = { delivery: 'helmChartProxy' };
    delete f.spec.workspaces;
    const need = (addon: string, why: string) => `spec.management.provider: core addon ${addon} of cluster "mgmt" needs values in helmChartProxy delivery `
      + `(${why}): put a valuesTemplate in <spec.konvoy.addons.values>/clusters/mgmt/${addon}.yaml, .../providers/azure/${addon}.yaml or .../${addon}.yaml, `
      + 'or deliver it by ClusterResourceSet';
    expect(problems(f)).toEqual([
      need('calico', 'the chart\'s default Installation is not the one DKP applied (pod CIDR, encapsulation); inferred'),
      need('cluster-autoscaler', 'the chart defaults to another cloud provider than the clusterapi one DKP runs with; inferred'),
      need('nvidia-feature-discovery',
        'the chart deploys its own node-feature-discovery unless nfd.deploy is false (konvoy-components.md values hint; inferred)'),
    ]);
  });

  test('take values templates from the values folder, the most specific file first', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'values', 'clusters', 'prod-east'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'values', 'calico.yaml'), 'installation: {cni: {type: Calico}}\n');
    fs.writeFileSync(path.join(dir, 'values', 'clusters', 'prod-east', 'calico.yaml'), 'installation: {cni: {type: Calico}, kubernetesProvider: AKS}\n');
    fs.writeFileSync(path.join(dir, 'values', 'cluster-autoscaler.yaml'), 'cloudProvider: clusterapi\n');
    fs.writeFileSync(path.join(dir, 'values', 'nvidia-feature-discovery.yaml'), 'nfd: {deploy: false}\n');
    const f = baseFleet();
    f.spec.konvoy.addons = { delivery: 'helmChartProxy', values: './values' };
    const proxies = (name: string) => layer(f, name, dir).content.helmChartProxies.find((h) => h.releaseName === 'calico')!.valuesTemplate;
    expect(proxies('cluster-prod-east-core-addons')).toBe('installation: {cni: {type: Calico}, kubernetesProvider: AKS}\n');
    expect(proxies('mgmt-core-addons')).toBe('installation: {cni: {type: Calico}}\n');
  });

  test('fails if an addon has no usable chart, naming it and the ClusterResourceSet way', () => {
    const f = baseFleet();
    f.spec.konvoy.addons = HELM;
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
    f.spec.konvoy.addons = { ...HELM, clusterResourceSetAddons: ['local-volume-provisioner'], manifests: './addons' };
    const p = plan(f, dir);
    const l = p.layers.find((x) => x.name === 'cluster-prod-east-core-addons')!;
    expect(l.content.clusterResourceSets).toEqual([{
      name: 'local-volume-provisioner-prod-east', namespace: 'team-a', cluster: 'prod-east', strategy: 'ApplyAlways',
      data: { 'a.yaml': 'kind: A\n', 'lvp.yaml': 'kind: Namespace\n' },
    }]);
    expect(l.content.helmChartProxies.map((h) => h.releaseName)).toEqual(['calico', 'node-feature-discovery', 'nvidia-feature-discovery', 'metallb']);
    expect(l.checks.find((c) => c.kind === 'ClusterResourceSetBinding')).toEqual({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSetBinding', name: 'prod-east', namespace: 'team-a', applied: false,
      expect: {
        type: 'resource-set-binding', strategy: 'ApplyAlways',
        sets: [{ clusterResourceSet: 'local-volume-provisioner-prod-east', configMap: 'local-volume-provisioner-prod-east',
          hash: bindingHash('kind: A\n', 'kind: Namespace\n') }],
      },
    });
    // Its manifests hold no workload to check on the cluster: no addons-ready layer, and the plan says so.
    expect(p.layers.map((x) => x.name)).not.toContain('cluster-prod-east-addons-ready');
    expect(p.notes).toContainEqual(expect.stringMatching(
      /prod-east: local-volume-provisioner \(its manifests hold no Deployment, DaemonSet or StatefulSet to check on the cluster\)\.$/,
    ));
  });

  test('fails if an addon listed for ClusterResourceSet has no manifests, naming the addon, the cluster and where to put them', () => {
    const dir = addonsDir({ 'providers/preprovisioned/other/x.yaml': 'kind: X\n' });
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].provider = 'preprovisioned';
    f.spec.konvoy.addons = { ...HELM, clusterResourceSetAddons: ['local-volume-provisioner'], manifests: './addons' };
    expect(problems(f, dir)).toEqual([
      'spec.konvoy.addons.clusterResourceSetAddons: addon "local-volume-provisioner" of cluster "prod-east" is delivered by ClusterResourceSet, '
      + `but no manifests were found in ${dir}/addons/clusters/prod-east/local-volume-provisioner/ `
      + 'or .../providers/preprovisioned/local-volume-provisioner/',
    ]);
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
      expect.stringMatching(new RegExp('fleet\\.yaml:26: spec\\.workspaces\\[0\\]\\.clusters\\[0\\]\\.nodePools: '
        + 'not used by ClusterClass clusters \\(topology: true\\): Cluster API upgrades their control plane and workers from spec\\.topology\\.version$')),
    ]);
  });
});

describe('the plan notes about Konvoy', () => {
  const VSPHERE_NOTE = /^The vSphere core addon set .* is inferred from the DKP 2\.2 image list\.$/;
  const noteOf = (notes: readonly string[], pattern: RegExp) => notes.filter((n) => pattern.test(n));

  test('name the vSphere addon set as inferred only when a HelmChartProxy installs it on a vSphere cluster', () => {
    const f = baseFleet();
    f.spec.konvoy.addons = HELM;
    expect(noteOf(plan(f).notes, VSPHERE_NOTE)).toEqual([]);
    // a vSphere cluster that is neither the management cluster nor the first managed one
    f.spec.workspaces[0].clusters.push({ name: 'edge', provider: 'vsphere', kubernetesVersion: '1.21.6', nodePools: [{ name: 'edge-md-0' }] });
    const dir = tempDir();
    copyAddonFolders(f, dir);
    for (const addon of ['vsphere-csi', 'vsphere-cpi']) {
      fs.mkdirSync(path.join(dir, 'examples', 'addon-values', 'providers', 'vsphere'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'examples', 'addon-values', 'providers', 'vsphere', `${addon}.yaml`), 'vcenter: vcenter.example\n');
    }
    expect(noteOf(plan(f, dir).notes, VSPHERE_NOTE)).toHaveLength(1);
  });

  test('warn of a contract move through cluster-api-operator only when the providers change contract', () => {
    const CONTRACT_NOTE = /^The providers move from the v1alpha4 to the v1beta1 contract through cluster-api-operator/;
    const f = baseFleet();
    f.spec.konvoy.providers = 'clusterApiOperator';
    f.spec.konvoy.providerComponents = 'configMaps';
    expect(noteOf(plan(f).notes, CONTRACT_NOTE)).toHaveLength(1);
    // the same upgrade where the current release were on the v1beta1 contract already
    const sameContract = catalogWith(catalog, '2.1.1', (r) => ({ ...r, capiContract: 'v1beta1' }));
    const dir = tempDir();
    copyAddonFolders(f, dir);
    const { fleet } = parseFleet(toYaml(f), path.join(dir, 'fleet.yaml'));
    expect(noteOf(planFleet(fleet, sameContract, loadAddonSources(fleet)).notes, /contract through cluster-api-operator/)).toEqual([]);
  });

  test('say nothing of ClusterResourceSets or unchecked addons where there are none', () => {
    const f = baseFleet();
    f.spec.konvoy = { enabled: false };
    const notes = plan(f).notes;
    expect(noteOf(notes, /ClusterResourceSets use/)).toEqual([]);
    expect(noteOf(notes, /^Core addons whose workloads are not checked/)).toEqual([]);
  });
});
