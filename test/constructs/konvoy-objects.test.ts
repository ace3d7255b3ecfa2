import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { BUILT_IN_RELEASES } from '../../src/catalog/load-catalog';
import { assertPruneProtected } from '../../src/constructs/capi/capi-object';
import { synthesize } from '../../src/synth';
import { baseFleet, problemsOf, ROOT, tempDir, writeFleet } from '../helpers';
import { pruneProtection } from '../oracles/prune';

/** Synthesizes a fleet in memory (written to `dir` with the addon folders it names); returns its files as parsed objects by path. */
function files(f: unknown, dir = tempDir()): Record<string, any> {
  const file = writeFleet(f, dir);
  return Object.fromEntries(synthesize({ fleetFile: file }).files.filter((x) => x.path.endsWith('.yaml')).map((x) => [x.path, YAML.parse(x.content)]));
}

/**
 * Cluster API providers through cluster-api-operator, from ConfigMaps (D2iQ's builds have no public
 * components URL), and core addons by HelmChartProxy with the placeholder values the charts need:
 * the fleet writes the provider objects and HelmChartProxies these tests look at.
 */
const OPERATOR_AND_HELM = {
  providers: 'clusterApiOperator', providerComponents: 'configMaps', addons: { delivery: 'helmChartProxy', values: './examples/addon-values' },
};

/**
 * A user release file for 2.2.0 that adds the AWS provider the built-in catalog lacks, as a
 * platform engineer would from `kubectl get deployments -A -l clusterctl.cluster.x-k8s.io` (the
 * 2.2 image list names this tag).
 */
function awsCatalog(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'releases'));
  const builtIn = fs.readFileSync(path.join(BUILT_IN_RELEASES, '2.2.0.yaml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'releases', '2.2.0.yaml'), builtIn.replace('  infrastructure:\n',
    '  infrastructure:\n    aws: {name: "aws", version: "v1.4.0-d2iq.0-rc1", namespace: "capa-system", deployment: "capa-controller-manager"}\n'));
  return dir;
}

function awsFleet(): any {
  const f = baseFleet();
  f.spec.catalog = './releases';
  f.spec.konvoy = OPERATOR_AND_HELM;
  f.spec.management.provider = 'aws';
  f.spec.workspaces[0].clusters[0].provider = 'aws';
  f.spec.workspaces[0].clusters[0].nodePools[0].machineTemplate = 'prod-east-md-0-1-22-8';
  return f;
}

describe('the Konvoy objects of a 2.1 -> 2.2 fleet on AWS', () => {
  const out = files(awsFleet(), awsCatalog());

  test('providers: the CAPI fork from ConfigMaps with DKP\'s images, and AWS from the user\'s release file', () => {
    expect(out['mgmt-capi-providers/coreprovider.capi-system.cluster-api.yaml']).toEqual({
      apiVersion: 'operator.cluster.x-k8s.io/v1alpha2',
      kind: 'CoreProvider',
      metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }, name: 'cluster-api', namespace: 'capi-system' },
      spec: {
        deployment: { containers: [{ imageUrl: 'docker.io/mesosphere/cluster-api-controller:v1.1.3-d2iq.3', name: 'manager' }] },
        fetchConfig: { selector: { matchLabels: { 'provider-components': 'core-cluster-api' } } },
        version: 'v1.1.3-d2iq.3',
      },
    });
    expect(out['mgmt-capi-providers/infrastructureprovider.capa-system.aws.yaml']).toEqual({
      apiVersion: 'operator.cluster.x-k8s.io/v1alpha2',
      kind: 'InfrastructureProvider',
      metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }, name: 'aws', namespace: 'capa-system' },
      spec: { fetchConfig: { selector: { matchLabels: { 'provider-components': 'infrastructure-aws' } } }, version: 'v1.4.0-d2iq.0-rc1' },
    });
    expect(Object.keys(out).filter((p) => p.startsWith('mgmt-capi-providers/')).sort()).toEqual([
      'mgmt-capi-providers/bootstrapprovider.capi-kubeadm-bootstrap-system.kubeadm.yaml',
      'mgmt-capi-providers/controlplaneprovider.capi-kubeadm-control-plane-system.kubeadm.yaml',
      'mgmt-capi-providers/coreprovider.capi-system.cluster-api.yaml',
      'mgmt-capi-providers/infrastructureprovider.capa-system.aws.yaml',
      'mgmt-capi-providers/kustomization.yaml',
    ]);
  });

  test('core addons: one pinned HelmChartProxy per addon, selecting exactly the cluster', () => {
    expect(out['cluster-prod-east-core-addons/helmchartproxy.team-a.aws-ebs-csi-prod-east.yaml']).toEqual({
      apiVersion: 'addons.cluster.x-k8s.io/v1alpha1',
      kind: 'HelmChartProxy',
      metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }, name: 'aws-ebs-csi-prod-east', namespace: 'team-a' },
      spec: {
        chartName: 'aws-ebs-csi-driver',
        clusterSelector: { matchLabels: { 'konvoy.d2iq.io/cluster-name': 'prod-east' } },
        namespace: 'kube-system',
        options: { install: { createNamespace: true }, wait: true },
        releaseName: 'aws-ebs-csi',
        repoURL: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver',
        version: '2.6.4',
      },
    });
    expect(Object.keys(out).filter((p) => p.startsWith('cluster-prod-east-core-addons/helmchartproxy')).map((p) => p.split('.')[2])).toEqual([
      'aws-ebs-csi-prod-east', 'calico-prod-east', 'cluster-autoscaler-prod-east', 'node-feature-discovery-prod-east', 'nvidia-feature-discovery-prod-east',
    ]);
  });

  test('Kubernetes: partial objects that set only the version (and the new template), merged, never pruned', () => {
    expect(out['mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml']).toEqual({
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'KubeadmControlPlane',
      metadata: {
        annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' },
        name: 'mgmt-control-plane',
        namespace: 'default',
      },
      spec: { version: 'v1.22.8' },
    });
    expect(out['cluster-prod-east-node-pools/machinedeployment.team-a.prod-east-md-0.yaml']).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'MachineDeployment',
      metadata: {
        annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' },
        name: 'prod-east-md-0',
        namespace: 'team-a',
      },
      spec: {
        template: {
          spec: {
            infrastructureRef: {
              apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AWSMachineTemplate', name: 'prod-east-md-0-1-22-8', namespace: 'team-a',
            },
            version: 'v1.22.8',
          },
        },
      },
    });
  });

  test('gates: the layers wait for the upgrade to finish, with CEL in hub mode', () => {
    const k = out['fleet/cluster-prod-east-control-plane.yaml'];
    expect(k.spec.wait).toBe(true);
    expect(k.spec.healthCheckExprs.map((e: any) => e.kind)).toEqual(['KubeadmControlPlane']);
    expect(k.spec.healthCheckExprs[0].current).toContain("spec.version == 'v1.22.8'");
    expect(k.spec.healthCheckExprs[0].current).toContain('status.version == spec.version');
    expect(out['fleet/mgmt-capi-providers.yaml'].spec.healthCheckExprs.map((e: any) => e.kind)).toEqual([
      'Deployment', 'BootstrapProvider', 'ControlPlaneProvider', 'CoreProvider', 'InfrastructureProvider',
    ]);
    // The preflight waits for the bootstrap Kustomization and for the new machine template to exist before anything rolls onto it
    // (read in the API version the current release, 2.1.1, serves: the providers have not moved yet).
    const preflight = out['fleet/mgmt-preflight.yaml'];
    expect(preflight.spec.dependsOn).toEqual([{ name: 'dkp-fleet' }]);
    expect(preflight.spec.healthChecks).toContainEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha4', kind: 'AWSMachineTemplate', name: 'prod-east-md-0-1-22-8', namespace: 'team-a',
    });
  });
});

/** A fleet folder with the placeholder values and the vCenter configuration the vSphere CSI and CPI charts need (placeholders too). */
function vsphereDir(): string {
  const dir = tempDir();
  fs.cpSync(path.join(ROOT, 'examples', 'addon-values'), path.join(dir, 'examples', 'addon-values'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'examples', 'addon-values', 'vsphere-csi.yaml'), 'vCenter: {host: vcenter.example}\n');
  fs.writeFileSync(path.join(dir, 'examples', 'addon-values', 'vsphere-cpi.yaml'), 'config: {vcenter: vcenter.example}\n');
  return dir;
}

function vsphereFleet(): any {
  const f = baseFleet();
  f.spec.konvoy = OPERATOR_AND_HELM;
  f.spec.management.provider = 'vsphere';
  f.spec.workspaces[0].clusters[0].provider = 'vsphere';
  return f;
}

describe('the Konvoy objects of a 2.1 -> 2.2 fleet on vSphere', () => {
  const out = files(vsphereFleet(), vsphereDir());

  test('installs CAPV v1.1.1 from ConfigMaps', () => {
    expect(out['mgmt-capi-providers/infrastructureprovider.capv-system.vsphere.yaml'].spec).toEqual({
      fetchConfig: { selector: { matchLabels: { 'provider-components': 'infrastructure-vsphere' } } }, version: 'v1.1.1',
    });
  });

  test('uses the vSphere addons, with the VMware charts for CSI and CPI', () => {
    const proxies = Object.entries(out).filter(([p]) => p.startsWith('cluster-prod-east-core-addons/helmchartproxy')).map(([, o]) => o.spec);
    expect(proxies.map((s) => [s.releaseName, s.repoURL, s.chartName, s.version])).toEqual([
      ['calico', 'https://docs.tigera.io/calico/charts', 'tigera-operator', 'v3.22.1'],
      ['node-feature-discovery', 'https://kubernetes-sigs.github.io/node-feature-discovery/charts', 'node-feature-discovery', '0.10.1'],
      ['nvidia-feature-discovery', 'https://nvidia.github.io/gpu-feature-discovery', 'gpu-feature-discovery', '0.4.1'],
      ['vsphere-cpi', 'https://vsphere-tmm.github.io/helm-charts', 'vsphere-cpi', '1.3.0'],
      ['vsphere-csi', 'https://vsphere-tmm.github.io/helm-charts', 'vsphere-csi', '2.1.0'],
    ]);
  });

  test('defaults a new machine template to VSphereMachineTemplate', () => {
    const g = vsphereFleet();
    g.spec.management.controlPlane = { machineTemplate: 'mgmt-cp-v2' };
    expect(files(g, vsphereDir())['mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml'].spec.machineTemplate).toEqual({
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'VSphereMachineTemplate', name: 'mgmt-cp-v2', namespace: 'default' },
    });
  });
});

describe('prune protection', () => {
  // Judged by the test's own list of Cluster API groups (test/oracles/prune.ts), not src's: ClusterResourceSet ConfigMaps included.
  test('every Cluster API object, and every ConfigMap a ClusterResourceSet applies, of every example carries it', () => {
    const examples = ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];
    const objects = examples.flatMap((e) => synthesize({ fleetFile: path.join(ROOT, e) }).files.filter((f) => f.path.endsWith('.yaml'))
      .map((x) => ({ file: `${e}: ${x.path}`, object: YAML.parse(x.content) })));
    const report = pruneProtection(objects);
    expect(report.violations).toEqual([]);
    expect(report.capi).toBeGreaterThan(50);
    expect(report.resourceSetData).toBeGreaterThan(5);
  });

  test('every provider object and HelmChartProxy of an operator fleet with HelmChartProxy delivery carries it', () => {
    const out = files(awsFleet(), awsCatalog());
    const report = pruneProtection(Object.entries(out).map(([file, object]) => ({ file, object })));
    expect(report.violations).toEqual([]);
    expect(Object.values(out).filter((o) => ['CoreProvider', 'HelmChartProxy'].includes(o.kind)).length).toBeGreaterThan(2);
    expect(report.capi).toBeGreaterThan(10);
  });

  test('the oracle itself flags a ClusterResourceSet ConfigMap without it, and any Cluster API group', () => {
    const set = { apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', metadata: { name: 's', namespace: 'ns' },
      spec: { resources: [{ kind: 'ConfigMap', name: 'cm' }] } };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' } };
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'elsewhere' } };
    const md = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AzureMachineTemplate', metadata: { name: 't', namespace: 'ns' } };
    expect(pruneProtection([{ file: 'a', object: set }, { file: 'b', object: cm }, { file: 'c', object: other }, { file: 'd', object: md }]).violations)
      .toEqual([
        'a: ClusterResourceSet ns/s lacks kustomize.toolkit.fluxcd.io/prune: disabled',
        'b: ConfigMap ns/cm lacks kustomize.toolkit.fluxcd.io/prune: disabled',
        'd: AzureMachineTemplate ns/t lacks kustomize.toolkit.fluxcd.io/prune: disabled',
      ]);
  });

  test('fails if any renderer emits a Cluster API object without it: synthesis stops', () => {
    expect(() => assertPruneProtected([{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeployment', metadata: { name: 'md', namespace: 'ns' } }]))
      .toThrow('internal: MachineDeployment ns/md would be emitted without prune protection');
    expect(() => assertPruneProtected([{ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'CoreProvider', metadata: { name: 'c', annotations: {} } }]))
      .toThrow('would be emitted without prune protection');
    expect(() => assertPruneProtected([{ apiVersion: 'apps.kommander.d2iq.io/v1alpha2', kind: 'AppDeployment', metadata: { name: 'a' } }])).not.toThrow();
  });
});

describe('kommander mode and the Flux the current release bundles', () => {
  test('fails if that Flux lacks ssa: merge and the fleet moves Kubernetes (DKP 2.1.x: kustomize-controller v0.18.0)', () => {
    const f = baseFleet();
    f.spec.flux = { mode: 'kommander' };
    expect(problemsOf(() => files(f))).toEqual([expect.stringMatching(
      /fleet\.yaml:29: spec\.flux\.mode: kommander mode cannot run the Kubernetes layers \(mgmt-control-plane, \.\.\.\): Kommander's Flux 0\.23\.0 \(kustomize-controller v0\.18\.0\) from DKP 2\.1\.1 lacks the kustomize\.toolkit\.fluxcd\.io\/ssa: merge annotation/,
    )]);
  });

  test('with that Flux, a fleet that leaves Kubernetes alone (spec.konvoy.enabled: false) synthesizes', () => {
    const f = baseFleet();
    f.spec.flux = { mode: 'kommander' };
    f.spec.konvoy = { enabled: false };
    expect(Object.keys(files(f))).toContain('fleet/mgmt-kommander.yaml');
  });

  test('fails if the source kind is one that Flux cannot read', () => {
    const f = baseFleet();
    f.spec.konvoy = { enabled: false };
    f.spec.release = '2.2.3';
    f.spec.currentRelease = '2.2.1';
    f.spec.flux = { mode: 'kommander', sourceRef: { kind: 'OCIRepository', name: 'fleet' } };
    expect(problemsOf(() => files(f))).toEqual([
      expect.stringMatching(/spec\.flux\.sourceRef\.kind: OCIRepository is not supported by Kommander's Flux 0\.29\.5 \(kustomize-controller v0\.24\.4\) from DKP 2\.2\.1; it accepts GitRepository, Bucket$/),
    ]);
  });

  test('uses v1beta2 and the lowercase merge value where Flux needs it (DKP 2.2.1: kustomize-controller v0.24.4)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'releases'));
    // Supply the facts the built-in 2.2.3 lacks, as a user would: this test needs a Konvoy target reached from 2.2.1.
    const r = fs.readFileSync(path.join(BUILT_IN_RELEASES, '2.2.0.yaml'), 'utf8').replace(/version: "2\.2\.0"/, 'version: "2.2.3"')
      .replace(/upgradeFrom: .*/, 'upgradeFrom: ">=2.2.0 <2.2.3"');
    fs.writeFileSync(path.join(dir, 'releases', '2.2.3.yaml'), r);
    const f = baseFleet();
    f.spec.catalog = './releases';
    f.spec.release = '2.2.3';
    f.spec.currentRelease = '2.2.1';
    f.spec.flux = { mode: 'kommander' };
    const out = files(f, dir);
    expect(out['mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml'].metadata.annotations['kustomize.toolkit.fluxcd.io/ssa']).toBe('merge');
    const k = out['fleet/mgmt-control-plane.yaml'];
    expect(k.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
    expect(k.spec.healthCheckExprs).toBeUndefined();
    expect(k.spec.deletionPolicy).toBeUndefined();
    expect(k.spec.prune).toBe(false);
    expect(k.spec.kubeConfig).toBeUndefined();
    expect(k.metadata.namespace).toBe('kommander-flux');
    const gate = out['fleet/cluster-prod-east-platform-apps.yaml'];
    expect(gate.metadata.namespace).toBe('team-a');
    expect(gate.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-east-kubeconfig' } });
    expect(gate.spec.dependsOn).toEqual([{ name: 'ws-team-a-platform-apps', namespace: 'kommander-flux' }]);
    expect(gate.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'kommander-flux' });
  });

  test('gates exact conditions with a least-privilege Job when the fleet names a gateImage', () => {
    const f = baseFleet();
    f.spec.konvoy = { enabled: false };
    f.spec.release = '2.2.3';
    f.spec.currentRelease = '2.2.1';
    f.spec.flux = { mode: 'kommander', gateImage: 'registry.example/kubectl:v1.22.8' };
    const out = files(f);
    const folder = Object.keys(out).filter((p) => p.startsWith('mgmt-platform-apps/')).sort();
    expect(folder.map((p) => p.split('/')[1].split('.')[0])).toEqual([
      'appdeployment', 'appdeployment', 'job', 'kustomization', 'role', 'rolebinding', 'serviceaccount',
    ]);
    const job = out[folder.find((p) => p.includes('/job.'))!];
    expect(job.metadata.namespace).toBe('kommander-flux');
    expect(job.spec.template.spec.containers[0].image).toBe('registry.example/kubectl:v1.22.8');
    expect(job.spec.template.spec.containers[0].command[2]).toContain(
      "what_3='HelmRelease kommander/traefik'; run_3() { check_helm_release 'kommander' 'traefik' '10.9.1'; }");
    const role = out[folder.find((p) => p.includes('/role.'))!];
    expect(role.metadata.namespace).toBe('kommander');
    expect(role.rules).toEqual([{
      apiGroups: ['helm.toolkit.fluxcd.io'], resourceNames: ['cert-manager', 'cert-manager-crds', 'traefik'], resources: ['helmreleases'], verbs: ['get'],
    }]);
    const k = out['fleet/mgmt-platform-apps.yaml'];
    expect(k.spec.healthChecks).toContainEqual({ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace: 'kommander-flux' });
  });
});
