import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { checkInvariants } from '../../src/planner/invariants';
import { synthToDist } from '../../src/synth';
import { bootstrapOf, fingerprint, kustomizeBuild, layersFromDist, ROOT, tempDir } from '../helpers';
import { fleetShapeOfFile, orderViolationsOf } from '../oracles/order';

/** Every folder each shipped fleet synthesizes, exactly. */
const FOLDERS: Record<string, string[]> = {
  'fleet.yaml': [
    'cluster-eks-legacy-catalog-apps', 'cluster-eks-legacy-platform-apps', 'cluster-prod-east-addons-ready', 'cluster-prod-east-catalog-apps',
    'cluster-prod-east-control-plane', 'cluster-prod-east-core-addons', 'cluster-prod-east-node-pools', 'cluster-prod-east-platform-apps',
    'cluster-prod-east-preflight', 'fleet', 'mgmt-capi-providers',
    'mgmt-control-plane', 'mgmt-core-addons', 'mgmt-kommander', 'mgmt-node-pools', 'mgmt-platform-apps', 'mgmt-preflight', 'wave-1',
    'ws-team-a-apps-ready', 'ws-team-a-catalog-apps', 'ws-team-a-platform-apps',
  ],
  'examples/single-management.yaml': [
    'fleet', 'mgmt-capi-providers', 'mgmt-control-plane', 'mgmt-core-addons', 'mgmt-kommander', 'mgmt-node-pools', 'mgmt-platform-apps', 'mgmt-preflight',
  ],
  'examples/two-workspaces-waves.yaml': [
    'cluster-canary-catalog-apps', 'cluster-canary-control-plane', 'cluster-canary-core-addons', 'cluster-canary-node-pools', 'cluster-canary-platform-apps',
    'cluster-canary-preflight',
    'cluster-edge-1-catalog-apps', 'cluster-edge-1-control-plane', 'cluster-edge-1-core-addons', 'cluster-edge-1-node-pools', 'cluster-edge-1-platform-apps',
    'cluster-edge-1-preflight',
    'cluster-eks-legacy-catalog-apps', 'cluster-eks-legacy-platform-apps',
    'cluster-prod-east-catalog-apps', 'cluster-prod-east-control-plane', 'cluster-prod-east-core-addons', 'cluster-prod-east-node-pools',
    'cluster-prod-east-platform-apps', 'cluster-prod-east-preflight',
    'fleet', 'mgmt-capi-providers', 'mgmt-control-plane', 'mgmt-core-addons', 'mgmt-kommander', 'mgmt-node-pools', 'mgmt-platform-apps', 'mgmt-preflight',
    'wave-1', 'wave-2', 'ws-team-a-apps-ready', 'ws-team-a-catalog-apps', 'ws-team-a-platform-apps',
    'ws-team-b-apps-ready', 'ws-team-b-catalog-apps', 'ws-team-b-platform-apps',
  ],
  'examples/clusterclass.yaml': [
    'cluster-cc-prod-addons-ready', 'cluster-cc-prod-core-addons', 'cluster-cc-prod-kubernetes', 'cluster-cc-prod-platform-apps', 'cluster-cc-prod-preflight',
    'cluster-classic-addons-ready', 'cluster-classic-control-plane', 'cluster-classic-core-addons', 'cluster-classic-node-pools',
    'cluster-classic-platform-apps', 'cluster-classic-preflight',
    'fleet', 'mgmt-capi-providers', 'mgmt-control-plane', 'mgmt-core-addons', 'mgmt-kommander', 'mgmt-node-pools', 'mgmt-platform-apps', 'mgmt-preflight',
    'wave-1', 'ws-platform-apps-ready', 'ws-platform-platform-apps',
  ],
  'examples/rollout-controls.yaml': [
    'cluster-canary-addons-ready', 'cluster-canary-control-plane', 'cluster-canary-core-addons', 'cluster-canary-node-pools',
    'cluster-canary-platform-apps', 'cluster-canary-preflight', 'cluster-store-1-addons-ready', 'cluster-store-1-control-plane',
    'cluster-store-1-core-addons', 'cluster-store-1-node-pools', 'cluster-store-1-platform-apps', 'cluster-store-1-preflight',
    'cluster-store-2-addons-ready', 'cluster-store-2-control-plane', 'cluster-store-2-core-addons', 'cluster-store-2-node-pools',
    'cluster-store-2-platform-apps', 'cluster-store-2-preflight', 'cluster-store-3-addons-ready', 'cluster-store-3-control-plane',
    'cluster-store-3-core-addons', 'cluster-store-3-node-pools', 'cluster-store-3-platform-apps', 'cluster-store-3-preflight',
    'cluster-store-4-addons-ready', 'cluster-store-4-control-plane', 'cluster-store-4-core-addons', 'cluster-store-4-node-pools',
    'cluster-store-4-platform-apps', 'cluster-store-4-preflight', 'fleet', 'mgmt-capi-providers', 'mgmt-control-plane', 'mgmt-core-addons',
    'mgmt-kommander', 'mgmt-node-pools', 'mgmt-platform-apps', 'mgmt-preflight', 'wave-1', 'wave-1-soak', 'wave-2', 'wave-3', 'ws-stores-apps-ready',
    'ws-stores-platform-apps',
  ],
  'examples/kommander-mode.yaml': [
    'cluster-edge-1-catalog-apps', 'cluster-edge-1-platform-apps', 'cluster-edge-aks-catalog-apps', 'cluster-edge-aks-platform-apps',
    'fleet', 'mgmt-kommander', 'mgmt-platform-apps', 'mgmt-preflight', 'ws-edge-apps-ready', 'ws-edge-catalog-apps', 'ws-edge-platform-apps',
  ],
};

/** The Flux namespace of each shipped fleet: where its source and its bootstrap Kustomization are. */
const fluxNamespace = (fleetFile: string) => (fleetFile === 'examples/kommander-mode.yaml' ? 'kommander-flux' : 'flux-system');

function dirs(dist: string): string[] {
  return fs.readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

describe.each(Object.keys(FOLDERS))('synthesizing %s', (fleetFile) => {
  const dist = path.join(tempDir(), 'dist');
  beforeAll(() => {
    synthToDist({ fleetFile: path.join(ROOT, fleetFile), outdir: dist });
  });

  test('writes exactly the expected folders, PLAN.md and nothing else at the top', () => {
    // rbac/: the access of each identity, applied by people (README, "Security"), one folder per cluster
    expect(dirs(dist)).toEqual([...FOLDERS[fleetFile], 'rbac'].sort());
    expect(YAML.parse(fs.readFileSync(path.join(dist, 'fleet', 'kustomization.yaml'), 'utf8')).resources.filter((r: string) => r.includes('rbac')))
      .toEqual([]);
    expect(fs.readdirSync(dist).filter((f) => !fs.statSync(path.join(dist, f)).isDirectory())).toEqual(['PLAN.md']);
  });

  test('dist/fleet holds one Kustomization per layer folder, and nothing else', () => {
    const files = fs.readdirSync(path.join(dist, 'fleet')).sort();
    expect(files).toEqual([...FOLDERS[fleetFile].filter((f) => f !== 'fleet').map((f) => `${f}.yaml`), 'kustomization.yaml'].sort());
    for (const f of files.filter((x) => x !== 'kustomization.yaml')) {
      const k = YAML.parse(fs.readFileSync(path.join(dist, 'fleet', f), 'utf8'));
      expect(k.kind).toBe('Kustomization');
      expect(k.apiVersion).toMatch(/^kustomize\.toolkit\.fluxcd\.io\/v1(beta2)?$/);
      expect(k.metadata.name).toBe(f.replace(/\.yaml$/, ''));
      expect(k.spec.path).toBe(`./dist/${k.metadata.name}`);
      expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: fluxNamespace(fleetFile) });
      for (const key of ['interval', 'retryInterval', 'timeout']) expect(typeof k.spec[key]).toBe('string');
      expect(typeof k.spec.prune).toBe('boolean');
      expect(k.spec.wait === true || Array.isArray(k.spec.healthChecks)).toBe(true);
      const deps = (k.spec.dependsOn ?? []).map((d: { name: string }) => d.name);
      expect(deps).toEqual([...deps].sort());
    }
  });

  test('the Kustomizations Flux will read keep every ordering guarantee', () => {
    expect(checkInvariants(layersFromDist(dist))).toEqual([]);
  });

  test('the Kustomizations keep DESIGN\'s order, judged by the test\'s own oracle from the fleet file (not src\'s invariants)', () => {
    const bootstrap = { name: 'dkp-fleet', namespace: fluxNamespace(fleetFile) };
    expect(orderViolationsOf(fleetShapeOfFile(path.join(ROOT, fleetFile)), dist, { bootstrap })).toEqual([]);
  });

  test('the first layer waits for the bootstrap Kustomization that applies dist/fleet, and nothing else does', () => {
    expect(bootstrapOf(dist)).toEqual([{ name: 'dkp-fleet', namespace: fluxNamespace(fleetFile) }]);
    const outside = fs.readdirSync(path.join(dist, 'fleet')).filter((f) => f !== 'kustomization.yaml' && f !== 'mgmt-preflight.yaml')
      .flatMap((f) => YAML.parse(fs.readFileSync(path.join(dist, 'fleet', f), 'utf8')).spec.dependsOn ?? [])
      .filter((d: { name: string }) => !fs.existsSync(path.join(dist, 'fleet', `${d.name}.yaml`)));
    expect(outside).toEqual([]);
  });

  test('every folder builds with kubectl kustomize into exactly its own objects', () => {
    const folders = [...dirs(dist).filter((d) => d !== 'rbac'), ...dirs(path.join(dist, 'rbac')).map((d) => path.join('rbac', d))];
    expect(folders.filter((d) => d.startsWith('rbac/'))).toContain('rbac/mgmt');
    for (const d of folders) {
      const folder = path.join(dist, d);
      const own = fs.readdirSync(folder).filter((f) => f !== 'kustomization.yaml').sort()
        .map((f) => YAML.parse(fs.readFileSync(path.join(folder, f), 'utf8')));
      const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const built = kustomizeBuild(folder);
      expect(built.map(key).sort()).toEqual(own.map(key).sort());
      for (const o of own) expect(built.find((b) => key(b) === key(o))).toEqual(o);
    }
  });

  test('is deterministic: a second synthesis is byte-identical', () => {
    const again = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, fleetFile), outdir: again });
    expect(fingerprint(again)).toEqual(fingerprint(dist));
  });

  test('writes no machine path, timestamp or temporary name', () => {
    const all = Object.keys(fingerprint(dist)).map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
    expect(all).not.toContain(ROOT);
    expect(all).not.toMatch(/\/tmp\/|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});

describe('the dependsOn edges of the waves example', () => {
  test('are exactly the direct predecessors of DESIGN §1', () => {
    const dist = path.join(tempDir(), 'dist');
    synthToDist({ fleetFile: path.join(ROOT, 'examples/two-workspaces-waves.yaml'), outdir: dist });
    const edges = Object.fromEntries(layersFromDist(dist).map((l) => [l.name, l.dependsOn]));
    expect(edges).toEqual({
      'mgmt-preflight': [],
      'mgmt-kommander': ['mgmt-preflight'],
      'mgmt-platform-apps': ['mgmt-kommander'],
      'ws-team-a-platform-apps': ['mgmt-platform-apps'],
      'cluster-canary-platform-apps': ['ws-team-a-platform-apps'],
      'cluster-prod-east-platform-apps': ['ws-team-a-platform-apps'],
      'cluster-eks-legacy-platform-apps': ['ws-team-a-platform-apps'],
      'ws-team-a-catalog-apps': ['cluster-canary-platform-apps', 'cluster-eks-legacy-platform-apps', 'cluster-prod-east-platform-apps'],
      'cluster-canary-catalog-apps': ['ws-team-a-catalog-apps'],
      'cluster-prod-east-catalog-apps': ['ws-team-a-catalog-apps'],
      'cluster-eks-legacy-catalog-apps': ['ws-team-a-catalog-apps'],
      'ws-team-a-apps-ready': ['cluster-canary-catalog-apps', 'cluster-eks-legacy-catalog-apps', 'cluster-prod-east-catalog-apps'],
      'ws-team-b-platform-apps': ['mgmt-platform-apps'],
      'cluster-edge-1-platform-apps': ['ws-team-b-platform-apps'],
      'ws-team-b-catalog-apps': ['cluster-edge-1-platform-apps'],
      'cluster-edge-1-catalog-apps': ['ws-team-b-catalog-apps'],
      'ws-team-b-apps-ready': ['cluster-edge-1-catalog-apps'],
      'mgmt-capi-providers': ['ws-team-a-apps-ready', 'ws-team-b-apps-ready'],
      'mgmt-core-addons': ['mgmt-capi-providers'],
      'mgmt-control-plane': ['mgmt-core-addons'],
      'mgmt-node-pools': ['mgmt-control-plane'],
      'cluster-canary-preflight': ['mgmt-preflight'],
      'cluster-canary-core-addons': ['cluster-canary-preflight', 'mgmt-node-pools'],
      'cluster-canary-control-plane': ['cluster-canary-core-addons'],
      'cluster-canary-node-pools': ['cluster-canary-control-plane'],
      'wave-1': ['cluster-canary-node-pools'],
      'cluster-prod-east-preflight': ['mgmt-preflight'],
      'cluster-prod-east-core-addons': ['cluster-prod-east-preflight', 'wave-1'],
      'cluster-prod-east-control-plane': ['cluster-prod-east-core-addons'],
      'cluster-prod-east-node-pools': ['cluster-prod-east-control-plane'],
      'cluster-edge-1-preflight': ['mgmt-preflight'],
      'cluster-edge-1-core-addons': ['cluster-edge-1-preflight', 'wave-1'],
      'cluster-edge-1-control-plane': ['cluster-edge-1-core-addons'],
      'cluster-edge-1-node-pools': ['cluster-edge-1-control-plane'],
      'wave-2': ['cluster-edge-1-node-pools', 'cluster-prod-east-node-pools'],
    });
  });
});
