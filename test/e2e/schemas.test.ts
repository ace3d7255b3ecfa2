import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthToDist } from '../../src/synth';
import { addonManifestsFor, baseFleet, describeWithShared, ROOT, SHARED, tempDir, writeFleet } from '../helpers';
import { schemaErrors, validateDistWithShared } from '../proof-helpers';

/** Fleets beyond the examples that reach other corners of the output (API versions, modes, options), each in a folder of its own. */
function testFleets(): Record<string, { fleet: any; dir: string }> {
  const fleets: Record<string, { fleet: any; dir: string }> = {};
  fleets['base (hub, 2.1.1 -> 2.2.0)'] = { fleet: baseFleet(), dir: tempDir() };

  const dkp21 = baseFleet(); // DKP 2.1: Cluster API v1alpha4 (a version the CRDs no longer serve)
  dkp21.spec.release = '2.1.0';
  dkp21.spec.currentRelease = '2.1.0';
  dkp21.spec.management.targetKubernetesVersion = '1.21.6';
  // Providers through cluster-api-operator, from 2.1.0's components URLs. Core addons by HelmChartProxy (with the values the
  // charts need), but DKP 2.1's Azure disk CSI and autoscaler have no Helm chart: delivered by ClusterResourceSet
  const dkp21Dir = tempDir();
  for (const addon of ['azure-disk-csi', 'cluster-autoscaler']) {
    const folder = path.join(dkp21Dir, 'addons', 'providers', 'azure', addon);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'manifests.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n');
  }
  dkp21.spec.konvoy = {
    providers: 'clusterApiOperator',
    addons: {
      delivery: 'helmChartProxy', clusterResourceSetAddons: ['azure-disk-csi', 'cluster-autoscaler'], manifests: './addons', values: './examples/addon-values',
    },
  };
  fleets['DKP 2.1.0, re-applied (v1alpha4)'] = { fleet: dkp21, dir: dkp21Dir };

  const kommander = baseFleet(); // kommander mode on DKP 2.2.1's Flux: v1beta2 (apps only: the catalog has no Konvoy facts for 2.3)
  kommander.spec.release = '2.3.2';
  kommander.spec.currentRelease = '2.2.1';
  kommander.spec.konvoy = { enabled: false };
  kommander.spec.flux = { mode: 'kommander', sourceRef: { kind: 'Bucket', name: 'fleet-bucket' }, path: 'clusters/prod/' };
  kommander.spec.management.kubernetesVersion = '1.22.8';
  kommander.spec.workspaces[0].clusters[0].kubernetesVersion = '1.22.8';
  kommander.spec.workspaces[0].clusters.push({ name: 'aks', type: 'attached', kubernetesVersion: '1.22.6' });
  fleets['kommander mode (2.2.1 -> 2.3.2)'] = { fleet: kommander, dir: tempDir() };

  const appsOnly = baseFleet(); // kommander mode on DKP 2.1's Flux: apps only
  appsOnly.spec.konvoy = { enabled: false };
  appsOnly.spec.flux = { mode: 'kommander' };
  fleets['kommander mode, apps only (2.1.1 -> 2.2.1)'] = { fleet: appsOnly, dir: tempDir() };

  // every option: pinned Kubernetes, topology, OCI source, bootstrap, backup, gate image, new machine templates, providers through the operator,
  // addons by ClusterResourceSet for two providers, apps everywhere
  const full = baseFleet();
  const fullDir = tempDir();
  full.spec.konvoy = {
    providers: 'clusterApiOperator', providerComponents: 'configMaps', addons: { manifests: addonManifestsFor(['azure', 'vsphere'], fullDir) },
  };
  full.spec.flux = {
    namespace: 'fleet-hub', gateImage: 'registry.example/kubectl:v1.22.8', sourceRef: { kind: 'OCIRepository', name: 'fleet-oci', namespace: 'sources' },
    bootstrap: { name: 'fleet-root', namespace: 'sources' }, path: '.', interval: '5m', retryInterval: '30s', timeout: '1h30m',
  };
  full.spec.preflight = { veleroBackup: { name: 'before-2-2-0' } };
  delete full.spec.management.nodePools;
  Object.assign(full.spec.management, {
    targetKubernetesVersion: '1.22.8', topology: true,
    catalogApps: [{ name: 'kafka-operator' }],
    customApps: [{ name: 'billing', version: '2.0.0', kubernetesVersions: '>=1.21.0 <1.23.0', configOverrides: 'billing-values' }],
  });
  full.spec.workspaces[0] = {
    name: 'team-a',
    namespace: 'team-a-ns',
    platformApps: ['cert-manager', { name: 'traefik', configOverrides: 'traefik-overrides' }],
    catalogApps: ['zookeeper-operator'],
    projects: [{ name: 'payments', clusters: ['east'], catalogApps: [{ name: 'spark-operator' }] }],
    clusters: [
      { name: 'east', provider: 'azure', kubernetesVersion: '1.21.6', targetKubernetesVersion: '1.22.8', wave: 3,
        controlPlane: { name: 'east-cp', machineTemplate: 'east-cp-1-22-8' },
        nodePools: [{ name: 'east-md-0', kubernetesVersion: '1.21.6' }, { name: 'east-md-1', machineTemplate: 'east-md-1-1-22-8' }],
        kubeConfig: { secretRef: { name: 'east-admin' } } },
      { name: 'west', provider: 'vsphere', namespace: 'capi-west', kubernetesVersion: '1.21.6', targetKubernetesVersion: '1.22.5', topology: true, wave: 1 },
      { name: 'edge', type: 'attached', kubernetesVersion: '1.22.1', kubeConfig: { secretRef: { name: 'edge.kubeconfig' } } },
    ],
  };
  fleets['every option (2.1.1 -> 2.2.0, pinned Kubernetes)'] = { fleet: full, dir: fullDir };
  return fleets;
}

const EXAMPLES = ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/${f}`)];

describeWithShared('every object of every shipped fleet validates against its schema', () => {
  test.each(EXAMPLES)('%s', (fleetFile) => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, fleetFile), outdir: dist });
    const r = validateDistWithShared(dist);
    expect(r.errors).toEqual([]);
    expect(r.objects).toBeGreaterThan(0);
    // one kustomization.yaml per layer folder and per rbac/<cluster> folder
    const rbac = fs.readdirSync(path.join(dist, 'rbac')).length;
    expect(r.kustomizations).toBe(fs.readdirSync(dist).filter((f) => f !== 'PLAN.md' && f !== 'rbac').length + rbac);
  });

  test('the committed dist/ validates', () => {
    expect(schemaErrors(path.join(ROOT, 'dist'))).toEqual([]);
  });
});

describeWithShared('every object of the test fleets validates against its schema', () => {
  const fleets = testFleets();
  test.each(Object.keys(fleets))('%s', (name) => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: writeFleet(fleets[name].fleet, fleets[name].dir), outdir: dist });
    const r = validateDistWithShared(dist);
    expect(r.errors).toEqual([]);
    if (name.startsWith('DKP 2.1.0')) expect(r.notes).toContainEqual(expect.stringMatching(/^controlplane\.cluster\.x-k8s\.io\/v1alpha4 KubeadmControlPlane: not served/));
    if (name.startsWith('kommander mode')) expect(r.notes).toContainEqual(expect.stringMatching(/^kustomize\.toolkit\.fluxcd\.io\/v1beta2 Kustomization: no v1beta2 CRD/));
  });
});

describeWithShared('npm run validate', () => {
  const MAIN = path.join(ROOT, 'lib', 'src', 'validate-dist', 'main.js');
  /** Objects and kustomization.yaml files a synthesized folder holds, counted from its files. */
  const counts = (dist: string) => {
    const files = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    const kustomizations = files.filter((f) => path.basename(f) === 'kustomization.yaml').length;
    return { objects: files.length - kustomizations, kustomizations };
  };
  const run = (dir: string) => spawnSync(process.execPath, [MAIN, path.basename(dir)], {
    cwd: path.dirname(dir), encoding: 'utf8', env: { ...process.env, SHARED_DIR: SHARED },
  });

  test('passes a synthesized dist/ with exit code 0 and a summary', () => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    const { objects, kustomizations } = counts(dist);
    expect(objects).toBeGreaterThan(30);
    const r = run(dist);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('note: '))).toEqual([
      `validate: dist: ${objects} objects and ${kustomizations} kustomization.yaml files checked; no errors`, '',
    ]);
  });

  test('fails with exit code 1, one "path: error" line per problem and a summary', () => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    const wave = path.join(dist, 'fleet', 'wave-1.yaml');
    fs.writeFileSync(wave, fs.readFileSync(wave, 'utf8').replace('  prune: true', '  prune: "yes"').replace('  wait: true', '  wiat: true'));
    fs.writeFileSync(path.join(dist, 'wave-1', 'widget.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
    const { objects, kustomizations } = counts(dist);
    const r = run(dist);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('note: '))).toEqual([
      expect.stringMatching(/^dist\/fleet\/wave-1\.yaml: spec\.wiat: unknown field \(did you mean "wait"\?\); allowed fields: buildMetadata, /),
      'dist/fleet/wave-1.yaml: spec.prune: expected boolean, got string ("yes")',
      'dist/wave-1/kustomization.yaml: resources: does not list "widget.yaml", so Flux never applies it',
      'dist/wave-1/widget.yaml: no schema for example.com/v1/Widget',
      `validate: dist: ${objects} objects and ${kustomizations} kustomization.yaml files checked; 4 errors in 3 files`,
      '',
    ]);
  });

  test('fails if the folder does not exist', () => {
    const r = run(path.join(tempDir(), 'nothing'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('validate: nothing is not a folder; synthesize first (npx cdk8s synth --no-check-upgrade)\n');
  });

  test('fails if the CRDs are missing, saying where it looked', () => {
    const dist = path.join(tempDir(), 'dist');
    fs.mkdirSync(dist);
    const r = spawnSync(process.execPath, [MAIN, dist], { encoding: 'utf8', env: { ...process.env, SHARED_DIR: '/nonexistent' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('validate: cannot load the schemas: no CRDs at /nonexistent/crds: the folder or file is missing '
      + '(set SHARED_DIR to the folder holding crds/)\n');
  });
});
