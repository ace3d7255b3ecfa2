import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { GATE_BACKOFF_LIMIT } from '../../src/constructs/gates/job-gate';
import { synthesize } from '../../src/synth';
import { fleetOf, FIXTURES, Mode, synth, Variant } from '../gates/harness/variants';
import { problemsOf, ROOT, tempDir, toYaml } from '../helpers';

/**
 * The defects of the issue "gates that tell the truth" that are about the written output rather
 * than one check's meaning (those are proven on status timelines in test/gates/timelines.test.ts:
 * ClusterClass workers, ClusterResourceSet content, provider managers, Job scripts, HelmRelease v2).
 */

const EXAMPLES = ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];

/** A fleet of the timeline tests, changed by `edit`, synthesized in a folder of its own. */
function synthEdited(mode: Mode, variant: Variant, edit: (f: any) => void) {
  const dir = tempDir();
  for (const d of ['addons', 'values', 'catalog']) fs.cpSync(path.join(FIXTURES, d), path.join(dir, d), { recursive: true });
  const f = fleetOf(mode, variant) as any;
  edit(f);
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, toYaml(f));
  return { file, run: () => synthesize({ fleetFile: file }) };
}

const kustomizations = (files: readonly { path: string; content: string }[]) =>
  files.filter((f) => f.path.startsWith('fleet/') && f.path !== 'fleet/kustomization.yaml').map((f) => YAML.parse(f.content));

describe('defect 3: one spelling of the source in every layer (the revision lock compares them as written before Flux 1.0)', () => {
  const cases: [string, Mode | undefined][] = [...EXAMPLES.map((e): [string, Mode | undefined] => [e, undefined]), ['timelines kommander fleet', 'kommander']];
  test.each(cases)('%s', (example, mode) => {
    const files = mode ? synth(mode, 'classic').result.files : synthesize({ fleetFile: path.join(ROOT, example) }).files;
    const spellings = new Set(kustomizations(files).map((k) => JSON.stringify(k.spec.sourceRef)));
    expect(spellings.size).toBe(1);
    expect(JSON.parse([...spellings][0]).namespace).toEqual(expect.any(String));
  });
});

describe('defect 4: providers installed by the DKP CLI are upgraded by it and watched; through the operator only where it manages them', () => {
  test('dkpCli (the default): no provider objects, every manager Deployment watched at the version, the command in "Before you merge"', () => {
    const out = synth('hub', 'classic');
    expect(out.folders.get('mgmt-capi-providers') ?? []).toEqual([]);
    const layer = out.result.plan.layers.find((l) => l.name === 'mgmt-capi-providers')!;
    expect(layer.checks.map((c) => `${c.kind} ${c.namespace}/${c.name} ${JSON.stringify(c.expect)}`)).toEqual([
      'Deployment capi-system/capi-controller-manager {"type":"rollout","containers":[{"name":"manager","image":"v1.1.3-d2iq.3","match":"tag"}]}',
      'Deployment capi-kubeadm-bootstrap-system/capi-kubeadm-bootstrap-controller-manager '
        + '{"type":"rollout","containers":[{"name":"manager","image":"v1.1.3-d2iq.3","match":"tag"}]}',
      'Deployment capi-kubeadm-control-plane-system/capi-kubeadm-control-plane-controller-manager '
        + '{"type":"rollout","containers":[{"name":"manager","image":"v1.1.3-d2iq.3","match":"tag"}]}',
      'Deployment capz-system/capz-controller-manager {"type":"rollout","containers":[{"name":"manager","image":"v1.1.1","match":"tag"}]}',
    ]);
    expect(out.result.document.beforeMerge.join('\n')).toMatch(/When mgmt-capi-providers starts waiting .* run `dkp upgrade capi-components`/);
  });

  test('clusterApiOperator: provider objects and their managers, and the preflight proves the operator already manages each provider', () => {
    const out = synth('hub', 'operator');
    const layer = out.result.plan.layers.find((l) => l.name === 'mgmt-capi-providers')!;
    expect(layer.content.providers.map((p) => `${p.kind} ${p.version}`)).toEqual([
      'CoreProvider v1.1.3-d2iq.3', 'BootstrapProvider v1.1.3-d2iq.3', 'ControlPlaneProvider v1.1.3-d2iq.3', 'InfrastructureProvider v1.1.1',
    ]);
    expect(layer.checks.filter((c) => c.kind === 'Deployment')).toHaveLength(4);
    const preflight = out.result.plan.layers.find((l) => l.name === 'mgmt-preflight')!;
    expect(preflight.checks.filter((c) => c.expect.type === 'provider-installed').map((c) => `${c.kind} ${JSON.stringify(c.expect)}`)).toEqual([
      'CoreProvider {"type":"provider-installed","versions":["v0.4.4","v1.1.3-d2iq.3"]}',
      'BootstrapProvider {"type":"provider-installed","versions":["v0.4.4","v1.1.3-d2iq.3"]}',
      'ControlPlaneProvider {"type":"provider-installed","versions":["v0.4.4","v1.1.3-d2iq.3"]}',
      'InfrastructureProvider {"type":"provider-installed","versions":["v0.5.3","v1.1.1"]}',
    ]);
  });
});

describe('defect 5: core addons are delivered the way the current release delivered them', () => {
  test('a 2.1 or 2.2 fleet gets ClusterResourceSets by default, checked by content hash and on the cluster', () => {
    const out = synth('hub', 'classic');
    const addons = out.result.plan.layers.find((l) => l.name === 'cluster-prod-east-core-addons')!;
    expect(addons.content.clusterResourceSets.map((s) => s.name)).toEqual(['node-tuning-prod-east']);
    expect(addons.content.helmChartProxies).toEqual([]);
    expect(addons.checks.map((c) => `${c.kind} ${c.expect.type}`))
      .toEqual(['ClusterResourceSet resource-set', 'ClusterResourceSetBinding resource-set-binding']);
    const ready = out.result.plan.layers.find((l) => l.name === 'cluster-prod-east-addons-ready')!;
    expect(ready.target).toEqual({ cluster: 'prod-east', management: false, kubeconfigSecret: 'prod-east-kubeconfig', secretNamespace: 'default' });
    expect(ready.checks.map((c) => `${c.kind} ${c.namespace}/${c.name}`))
      .toEqual(['DaemonSet kube-system/csi-azuredisk-node', 'StatefulSet kube-system/example-statefulset']);
    expect(out.result.plan.layers.find((l) => l.name === 'cluster-prod-east-control-plane')!.dependsOn).toEqual(['cluster-prod-east-addons-ready']);
  });

  test('fails if helmChartProxy delivery has no values for a chart whose defaults are unsafe', () => {
    const { file, run } = synthEdited('hub', 'hcp', (f) => { f.spec.konvoy.addons = { delivery: 'helmChartProxy' }; });
    expect(problemsOf(run)).toEqual(expect.arrayContaining([
      `${file}:21: spec.management.provider: core addon calico of cluster "mgmt" needs values in helmChartProxy delivery (the chart's default Installation `
        + 'is not the one DKP applied (pod CIDR, encapsulation); inferred): put a valuesTemplate in <spec.konvoy.addons.values>/clusters/mgmt/calico.yaml, '
        + '.../providers/azure/calico.yaml or .../calico.yaml, or deliver it by ClusterResourceSet',
    ]));
  });

  test('fails if the current release does not record how DKP delivered addons and the fleet does not say', () => {
    const { file, run } = synthEdited('hub', 'classic', (f) => {
      f.spec.release = '2.4.0';
      f.spec.currentRelease = '2.3.3';
      f.spec.konvoy = { enabled: true };
    });
    expect(problemsOf(run)).toContainEqual(`${file}:9: spec.konvoy.addons.delivery: required: release 2.3.3 does not record how DKP delivered core addons `
      + '(unknown in src/catalog/releases/2.3.3.yaml); set clusterResourceSet (DKP 2.1 and 2.2 used ClusterResourceSets) or helmChartProxy');
  });
});

describe('defect 6: Job gates survive a long rollout and evictions', () => {
  test('no deadline shorter than the rollout, a backoff limit that outlasts evictions', () => {
    const out = synth('kommander', 'classic');
    const jobs = [...out.folders.values()].flat().filter((o) => o.kind === 'Job');
    expect(jobs.length).toBeGreaterThan(3);
    for (const j of jobs) {
      expect(j.spec.activeDeadlineSeconds).toBeUndefined();
      expect(j.spec.backoffLimit).toBe(GATE_BACKOFF_LIMIT);
      expect(j.spec.template.spec.containers[0].command[2]).not.toMatch(/deadline|date \+%s/);
    }
  });
});

describe('defect 7: the first layer waits for the bootstrap Kustomization, so no layer runs a new commit under its old checks', () => {
  test.each(['hub', 'kommander'] as const)('%s mode', (mode) => {
    const out = synth(mode, 'classic');
    const preflight = out.folders.get('fleet')!.find((k) => k.metadata.name === 'mgmt-preflight')!;
    expect(preflight.spec.dependsOn).toEqual([{ name: 'dkp-fleet' }]);
    expect(out.result.document.beforeMerge.join('\n'))
      .toMatch(new RegExp(`a bootstrap Kustomization ${preflight.metadata.namespace}/dkp-fleet \\(kustomize\\.toolkit\\.fluxcd\\.io/v1(beta2)?\\) `
        + 'with path \\./dist/fleet'));
  });

  test('the bootstrap Kustomization is named in the fleet file, in another namespace if need be', () => {
    const { run } = synthEdited('hub', 'classic', (f) => { f.spec.flux.bootstrap = { name: 'fleet-root', namespace: 'gitops' }; });
    const k = kustomizations(run().files).find((x) => x.metadata.name === 'mgmt-preflight');
    expect(k.spec.dependsOn).toEqual([{ name: 'fleet-root', namespace: 'gitops' }]);
  });
});

describe('defect 9: the preflight proves what this upgrade needs, and nothing waits on a step nobody does', () => {
  test('the Velero Backup is named for this upgrade, in the namespace DKP runs Velero in', () => {
    const out = synth('hub', 'classic');
    const backup = out.result.plan.layers[0].checks.find((c) => c.kind === 'Backup')!;
    expect(`${backup.namespace}/${backup.name}`).toBe('kommander/dkp-fleet-2-1-1-to-2-2-0');
  });

  test('fails if the Backup named in the fleet does not name the target release', () => {
    const { file, run } = synthEdited('hub', 'classic', (f) => { f.spec.preflight.veleroBackup = { name: 'pre-upgrade' }; });
    expect(problemsOf(run)).toEqual([
      `${file}:19: spec.preflight.veleroBackup.name: "pre-upgrade" does not name this upgrade: it must contain the target release as 2-2-0 `
        + '(for example pre-upgrade-2-2-0, or leave it out for dkp-fleet-...-to-2-2-0); a Backup of another name may be one an earlier upgrade left '
        + 'Completed, and would pass the preflight',
    ]);
  });

  test('new machine templates are listed in "Before you merge" and must exist before anything rolls', () => {
    const { run } = synthEdited('hub', 'classic', (f) => {
      f.spec.workspaces[0].clusters[0].nodePools = [{ name: 'prod-east-md-0', machineTemplate: 'prod-east-md-0-v1-22-8' }];
    });
    const r = run();
    expect(r.document.beforeMerge).toContainEqual('Create the new machine templates on mgmt: AzureMachineTemplate default/prod-east-md-0-v1-22-8; '
      + 'mgmt-preflight waits until they exist.');
    expect(r.plan.layers[0].checks.filter((c) => c.kind === 'AzureMachineTemplate').map((c) => `${c.namespace}/${c.name} ${c.expect.type}`))
      .toEqual(['default/prod-east-md-0-v1-22-8 exists']);
  });

  test('without Kommander AppDeployments in the fleet, "Before you merge" runs the command that moves Kommander', () => {
    const out = synth('hub', 'classic');
    expect(out.result.document.beforeMerge.join('\n')).toMatch(/Run `dkp upgrade kommander --kommander-applications-repository v2\.2\.0`.* moves Kommander itself/);
    const { run } = synthEdited('hub', 'classic', (f) => { f.spec.kommander = { appDeployments: ['kommander', 'kommander-appmanagement'] }; });
    const r = run();
    expect(r.document.beforeMerge.join('\n')).toMatch(/Push DKP 2\.2\.0's application definitions .* mgmt-kommander moves Kommander by its AppDeployments/);
    expect(r.plan.layers.find((l) => l.name === 'mgmt-kommander')!.content.appDeployments.map((a) => a.name)).toEqual(['kommander', 'kommander-appmanagement']);
  });
});
