import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { CliIo, runCli } from '../../src/cli';
import { mermaidGraph } from '../../src/report/mermaid';
import { synthesize, synthToDist } from '../../src/synth';
import { baseFleet, fingerprint, ROOT, tempDir, writeFleet } from '../helpers';

const EXAMPLES = ['fleet.yaml', ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/${f}`)];

/** Runs the CLI in process, capturing what it prints. */
function cli(args: string[], env: Record<string, string>): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => { out += s; }, err: (s) => { err += s; }, env };
  return { code: runCli(args, io), out, err };
}

describe('PLAN.md', () => {
  test.each(EXAMPLES)('is exactly the golden text for %s', (example) => {
    const plan = synthesize({ fleetFile: path.join(ROOT, example) }).files.find((f) => f.path === 'PLAN.md')!.content;
    const golden = path.join(ROOT, 'test', 'golden', `${path.basename(example, '.yaml')}.PLAN.md`);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, plan);
    expect(plan).toBe(fs.readFileSync(golden, 'utf8'));
  });

  test('lists every layer in the order of dist/fleet, with its from -> to and its gate', () => {
    const r = synthesize({ fleetFile: path.join(ROOT, 'examples/two-workspaces-waves.yaml') });
    const md = r.files.find((f) => f.path === 'PLAN.md')!.content;
    const order = [...md.matchAll(/^\| (\d+) \| \d+ \| \d* \| `([a-z0-9-]+)` \|/gm)].map((m) => m[2]);
    expect(order).toEqual(r.plan.layers.map((l) => l.name));
    expect(md).toContain('| KubeadmControlPlane team-a/prod-east-control-plane | 1.21.6 | 1.22.8 |');
    expect(md).toContain('| AppDeployment team-a/traefik | 10.3.0 | 10.9.1 |');
    expect(md).toContain('| MachineDeployment team-a/prod-east-md-1 machine template | ? | AzureMachineTemplate prod-east-md-1-v1-22-8 |');
    expect(md).toContain('- HelmRelease team-a/traefik Ready at chart 10.9.1');
    expect(md).toMatch(/\| 26 \| \d+ \| 1 \| `wave-1` \|/);
    expect(md).toContain('```mermaid\nflowchart TD\n');
  });

  test('says which checks are ready-only, and why', () => {
    // examples/kommander-mode.yaml without its gateImage: Kommander's Flux has no CEL, and no Job gate runs.
    const f = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples/kommander-mode.yaml'), 'utf8'));
    delete f.spec.flux.gateImage;
    const md = synthesize({ fleetFile: writeFleet(f) }).files.find((x) => x.path === 'PLAN.md')!.content;
    expect(md).toContain('- 6 layers are ready-only for some checks, not version-checked '
      + '(Kommander\'s Flux 0.29.5 (kustomize-controller v0.24.4) from DKP 2.2.1 has no CEL health checks; '
      + 'spec.flux.gateImage is not set, so no Job gate runs): those checks can pass before the upgrade finished. Marked "ready-only" below.');
    expect(md).toContain('- HelmRelease kommander/traefik Ready at chart 10.9.1 — **ready-only, not version-checked**');
    // With it (the example as shipped), Job gates make those checks exact.
    const shipped = synthesize({ fleetFile: path.join(ROOT, 'examples/kommander-mode.yaml') }).files.find((x) => x.path === 'PLAN.md')!.content;
    expect(shipped).not.toContain('ready-only');
    expect(shipped).toContain('- HelmRelease kommander/traefik Ready at chart 10.9.1\n');
  });

  test('condenses the graph of a large fleet into workspaces and waves', () => {
    const f = baseFleet();
    f.spec.workspaces = Array.from({ length: 6 }, (_, w) => ({
      name: `ws-${w}`,
      clusters: Array.from({ length: 5 }, (_, c) => ({
        name: `c-${w}-${c}`, provider: 'azure', kubernetesVersion: '1.21.6', wave: 1 + (c % 2), nodePools: [{ name: `c-${w}-${c}-md-0` }],
      })),
    }));
    const doc = synthesize({ fleetFile: writeFleet(f) }).document;
    expect(doc.layers.length).toBeGreaterThan(80);
    const graph = mermaidGraph(doc.layers);
    expect(graph).toContain('G4["workspace ws-0: 7 app layers"]');
    expect(graph).toContain('G14["wave 1 clusters: 90 layers"]');
    expect(graph).toContain('G16["wave 2 clusters: 60 layers"]');
    expect(graph).toContain('G14 --> G15');
    expect(graph.split('\n').length).toBeLessThan(60);
  });
});

describe('npm run plan', () => {
  test('prints PLAN.md without writing anything', () => {
    const dir = tempDir();
    const r = cli(['plan'], { FLEET: path.join(ROOT, 'fleet.yaml'), FLEET_OUT: path.join(dir, 'dist') });
    expect(r.code).toBe(0);
    expect(r.out).toBe(fs.readFileSync(path.join(ROOT, 'dist', 'PLAN.md'), 'utf8'));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test.each(EXAMPLES)('--json for %s matches docs/plan.schema.json', (example) => {
    const r = cli(['plan', '--json'], { FLEET: path.join(ROOT, example) });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'plan.schema.json'), 'utf8')));
    expect(validate.errors ?? (validate(doc) ? [] : validate.errors)).toEqual([]);
    expect(doc.layers.map((l: any) => l.index)).toEqual(doc.layers.map((_: unknown, i: number) => i + 1));
  });

  test('fails if given an unknown argument, with usage', () => {
    const r = cli(['plan', '--yaml'], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dkp-fleet: unknown arguments: plan --yaml\nusage: dkp-fleet <command> \[--fleet <file>\] \[--out <folder>\] \[--json\]/);
  });
});

describe('npm run check', () => {
  test('passes on a dist/ that is up to date', () => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    const r = cli(['check'], { FLEET: path.join(ROOT, 'fleet.yaml'), FLEET_OUT: dist });
    const n = Object.keys(fingerprint(dist)).length;
    expect(r).toEqual({ code: 0, out: '', err: `dkp-fleet: ${dist}/ is up to date with ${path.join(ROOT, 'fleet.yaml')} (${n} files)\n` });
  });

  test('fails if dist/ is stale, listing every file that differs', () => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'fleet.yaml'), outdir: dist });
    fs.appendFileSync(path.join(dist, 'mgmt-control-plane', 'kubeadmcontrolplane.default.mgmt-control-plane.yaml'), '# edited\n');
    fs.rmSync(path.join(dist, 'wave-1', 'kustomization.yaml'));
    fs.writeFileSync(path.join(dist, 'fleet', 'old-layer.yaml'), 'kind: Kustomization\n');
    const before = fingerprint(dist);
    const r = cli(['check'], { FLEET: path.join(ROOT, 'fleet.yaml'), FLEET_OUT: dist });
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dkp-fleet: ${dist}/ is not what ${path.join(ROOT, 'fleet.yaml')} synthesizes (3 files); `
      + 'run `npx cdk8s synth --no-check-upgrade` and commit the result\n'
      + `  stale:     ${dist}/fleet/old-layer.yaml\n`
      + `  differs:   ${dist}/mgmt-control-plane/kubeadmcontrolplane.default.mgmt-control-plane.yaml\n`
      + `  missing:   ${dist}/wave-1/kustomization.yaml\n`);
    expect(fingerprint(dist)).toEqual(before);
  });

  test('the committed dist/ of this repository is up to date', () => {
    const r = cli(['check'], { FLEET: path.join(ROOT, 'fleet.yaml'), FLEET_OUT: path.join(ROOT, 'dist') });
    expect(r.err).toContain('is up to date');
    expect(r.code).toBe(0);
  });
});

/** Files that differ between two outputs: added, removed, changed. */
function diff(a: Record<string, string>, b: Record<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: Object.keys(b).filter((p) => !(p in a)).sort(),
    removed: Object.keys(a).filter((p) => !(p in b)).sort(),
    changed: Object.keys(a).filter((p) => p in b && a[p] !== b[p]).sort(),
  };
}

function output(f: unknown): Record<string, string> {
  return Object.fromEntries(synthesize({ fleetFile: writeFleet(f) }).files.map((x) => [x.path, x.content]));
}

describe('diff locality', () => {
  function twoWorkspaces(): any {
    const f = baseFleet();
    f.spec.workspaces[0].catalogApps = [{ name: 'kafka-operator', version: '0.20.2' }, 'zookeeper-operator'];
    f.spec.workspaces[0].clusters.push({ name: 'prod-west', provider: 'azure', kubernetesVersion: '1.21.6', wave: 2, nodePools: [{ name: 'prod-west-md-0' }] });
    f.spec.workspaces.push({ name: 'team-b', clusters: [{ name: 'b-1', provider: 'azure', kubernetesVersion: '1.21.6', wave: 2 }] });
    // Kubernetes stays at 1.21 so that both kafka-operator versions fit
    f.spec.management.targetKubernetesVersion = '1.21.6';
    for (const w of f.spec.workspaces) for (const c of w.clusters) c.targetKubernetesVersion = '1.21.6';
    return f;
  }

  test('changing one catalog app\'s version changes only its AppDeployment, the checks that name its version, and the plan', () => {
    const before = twoWorkspaces();
    const after = twoWorkspaces();
    after.spec.workspaces[0].catalogApps[0].version = '0.20.0';
    const a = output(before);
    const b = output(after);
    const d = diff(a, b);
    expect(d).toEqual({
      added: [],
      removed: [],
      changed: [
        'PLAN.md',
        'fleet/cluster-prod-east-catalog-apps.yaml',
        'fleet/cluster-prod-west-catalog-apps.yaml',
        'ws-team-a-catalog-apps/appdeployment.team-a.kafka-operator.yaml',
      ],
    });
    expect(YAML.parse(b['ws-team-a-catalog-apps/appdeployment.team-a.kafka-operator.yaml']).spec.appRef.name).toBe('kafka-operator-0.20.0');
    // the check files change only in the expected version of that app
    const gate = (o: Record<string, string>) => o['fleet/cluster-prod-east-catalog-apps.yaml'].replace(/kafka-operator': \['[^\]]*\]/g, 'X');
    expect(gate(b)).toBe(gate(a));
  });

  test('adding a managed cluster adds its folders and Kustomizations and changes only dependsOn edges elsewhere', () => {
    const before = twoWorkspaces();
    const after = twoWorkspaces();
    after.spec.workspaces[0].clusters.push({
      name: 'prod-north', provider: 'azure', kubernetesVersion: '1.21.6', targetKubernetesVersion: '1.21.6', wave: 2, nodePools: [{ name: 'prod-north-md-0' }],
    });
    const a = output(before);
    const b = output(after);
    const d = diff(a, b);
    expect(d.removed).toEqual([]);
    expect(d.added.every((p) => p.includes('prod-north'))).toBe(true);
    expect(d.added.filter((p) => p.startsWith('fleet/'))).toEqual([
      'fleet/cluster-prod-north-addons-ready.yaml', 'fleet/cluster-prod-north-catalog-apps.yaml', 'fleet/cluster-prod-north-control-plane.yaml',
      'fleet/cluster-prod-north-core-addons.yaml', 'fleet/cluster-prod-north-node-pools.yaml', 'fleet/cluster-prod-north-platform-apps.yaml',
      'fleet/cluster-prod-north-preflight.yaml',
    ]);
    expect(d.changed).toEqual([
      'PLAN.md',
      'fleet/kustomization.yaml',
      'fleet/wave-2.yaml',
      'fleet/ws-team-a-apps-ready.yaml',
      'fleet/ws-team-a-catalog-apps.yaml',
      // the management identity writes by name: the new cluster's objects join its apply Role
      'rbac/mgmt/role.team-a.dkp-fleet-test-apply.yaml',
    ]);
    for (const p of d.changed.filter((x) => x.startsWith('fleet/ws-') || x.startsWith('fleet/wave-'))) {
      const x = YAML.parse(a[p]);
      const y = YAML.parse(b[p]);
      expect({ ...y.spec, dependsOn: undefined }).toEqual({ ...x.spec, dependsOn: undefined });
      expect(y.spec.dependsOn.filter((e: any) => !x.spec.dependsOn.some((o: any) => o.name === e.name)).map((e: any) => e.name)).toEqual([
        expect.stringContaining('prod-north'),
      ]);
    }
  });
});

describe('the removal guard', () => {
  function committed(f: unknown): { dir: string; dist: string } {
    const dir = tempDir();
    const dist = path.join(dir, 'dist');
    synthToDist({ fleetFile: writeFleet(f, dir), outdir: dist });
    return { dir, dist };
  }

  test('fails if a managed cluster disappears from the fleet while dist/ manages it, leaving dist/ unchanged', () => {
    const f = baseFleet();
    const { dir, dist } = committed(f);
    const before = fingerprint(dist);
    f.spec.workspaces[0].clusters = [];
    const file = writeFleet(f, dir);
    const r = cli(['synth'], { FLEET: file, FLEET_OUT: dist });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:20: spec.workspaces: managed cluster "prod-east" is no longer in the fleet, but dist/ manages 7 Cluster API objects of it `
      + '(ClusterResourceSet team-a/azure-disk-csi-prod-east, ClusterResourceSet team-a/calico-cni-installation-prod-east, '
      + 'ClusterResourceSet team-a/cluster-autoscaler-prod-east, ...). '
      + 'If it is leaving the fleet, keep its entry with removed: true (its objects stay in place; dkp-fleet stops managing them); else put it back');
    expect(fingerprint(dist)).toEqual(before);
    expect(cli(['check'], { FLEET: file, FLEET_OUT: dist }).code).toBe(1);
  });

  test('lets a cluster marked removed: true go, and says so in the plan', () => {
    const f = baseFleet();
    const { dir, dist } = committed(f);
    f.spec.workspaces[0].clusters[0] = { name: 'prod-east', removed: true, provider: 'azure' };
    const r = cli(['synth'], { FLEET: writeFleet(f, dir), FLEET_OUT: dist });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dist).filter((d) => d.includes('prod-east'))).toEqual([]);
    expect(fs.readFileSync(path.join(dist, 'PLAN.md'), 'utf8'))
      .toContain('- Leaving the fleet: cluster prod-east. dkp-fleet no longer writes their layers or objects');
  });

  test('fails if a node pool disappears, and lets one marked removed: true go', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].nodePools.push({ name: 'prod-east-md-1' });
    const { dir, dist } = committed(f);
    f.spec.workspaces[0].clusters[0].nodePools.pop();
    const r = cli(['synth'], { FLEET: writeFleet(f, dir), FLEET_OUT: dist });
    expect(r.code).toBe(1);
    expect(r.err).toContain('spec.workspaces: MachineDeployment team-a/prod-east-md-1 is in dist/cluster-prod-east-node-pools/ '
      + 'but this fleet no longer writes it: prune protection keeps it in the cluster, managed by nobody. '
      + 'If its node pool is leaving the cluster, mark the pool removed: true; else put the pool back in the fleet');
    f.spec.workspaces[0].clusters[0].nodePools.push({ name: 'prod-east-md-1', removed: true });
    expect(cli(['synth'], { FLEET: writeFleet(f, dir), FLEET_OUT: dist }).code).toBe(0);
    expect(fs.readdirSync(path.join(dist, 'cluster-prod-east-node-pools'))).toEqual(['kustomization.yaml', 'machinedeployment.team-a.prod-east-md-0.yaml']);
  });

  test('fails if another Cluster API object would be dropped, unless spec.acknowledgeRemovals names it', () => {
    const f = baseFleet();
    f.spec.konvoy.addons = { delivery: 'helmChartProxy', values: './examples/addon-values' };
    const { dir, dist } = committed(f);
    f.spec.konvoy.addons = { delivery: 'clusterResourceSet', manifests: './addons' };
    fs.mkdirSync(path.join(dir, 'addons', 'providers', 'azure', 'calico'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'addons', 'providers', 'azure', 'calico', 'calico.yaml'), 'kind: Namespace\n');
    const r = cli(['synth'], { FLEET: writeFleet(f, dir), FLEET_OUT: dist });
    expect(r.code).toBe(1);
    expect(r.err).toContain('spec.acknowledgeRemovals: HelmChartProxy team-a/calico-prod-east is in dist/cluster-prod-east-core-addons/ '
      + 'but this fleet no longer writes it');
    expect(r.err).toContain('If that is intended, add "HelmChartProxy team-a/calico-prod-east" to spec.acknowledgeRemovals');
    expect(r.err.match(/spec\.acknowledgeRemovals: /g)).toHaveLength(10);
    f.spec.acknowledgeRemovals = ['mgmt', 'prod-east'].flatMap((c) => [
      'calico', 'azure-disk-csi', 'cluster-autoscaler', 'node-feature-discovery', 'nvidia-feature-discovery',
    ].map((a) => `HelmChartProxy ${c === 'mgmt' ? 'default' : 'team-a'}/${a}-${c}`));
    expect(cli(['synth'], { FLEET: writeFleet(f, dir), FLEET_OUT: dist }).code).toBe(0);
  });
});
