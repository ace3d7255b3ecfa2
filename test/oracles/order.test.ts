import * as path from 'path';
import { fleetShape, fleetShapeOfFile, FluxKustomization, orderViolations, readKustomizations } from './order';
import { synthToDist } from '../../src/synth';
import { baseFleet, ROOT, tempDir, writeFleet } from '../helpers';

/**
 * The ordering oracle itself: silent on what the shipped fleets synthesize, and loud on each way a
 * layer graph can break DESIGN's order (edges taken out or moved, as a planner bug would).
 */

const WAVES = path.join(ROOT, 'examples/two-workspaces-waves.yaml');

function synth(fleetFile: string): FluxKustomization[] {
  const dist = path.join(tempDir(), 'dist');
  synthToDist({ fleetFile, outdir: dist });
  return readKustomizations(dist);
}

/** A copy of the Kustomizations with one layer's dependsOn replaced (names, in the layer's own namespace). */
function withDeps(ks: readonly FluxKustomization[], name: string, deps: (old: string[]) => string[]): FluxKustomization[] {
  return ks.map((k) => (k.name !== name ? k : { ...k, dependsOn: deps(k.dependsOn.map((d) => d.name)).map((d) => ({ name: d, namespace: k.namespace })) }));
}

describe('the ordering oracle', () => {
  const shape = fleetShapeOfFile(WAVES);
  const ks = synth(WAVES);
  const bootstrap = { name: 'dkp-fleet', namespace: 'flux-system' };

  test('finds nothing wrong in the waves example', () => {
    expect(orderViolations(shape, ks, { bootstrap })).toEqual([]);
  });

  test('fails if the workspace catalog apps stop waiting for the per-cluster platform checks', () => {
    const broken = withDeps(ks, 'ws-team-a-catalog-apps', () => ['ws-team-a-platform-apps']);
    expect(orderViolations(shape, broken)).toEqual(expect.arrayContaining([
      "apps: workspace catalog apps after the workspace's platform apps, checked on each cluster: "
      + 'ws-team-a-catalog-apps does not follow cluster-canary-platform-apps',
    ]));
  });

  test('fails if a wave-2 cluster starts with the management cluster instead of after wave 1', () => {
    const broken = withDeps(ks, 'cluster-edge-1-core-addons', () => ['cluster-edge-1-preflight', 'mgmt-node-pools']);
    expect(orderViolations(shape, broken)).toEqual(expect.arrayContaining([
      'waves: wave 2 after wave 1: cluster-edge-1-core-addons does not follow cluster-canary-node-pools',
    ]));
  });

  test('fails if node pools move before their control plane', () => {
    const broken = withDeps(ks, 'cluster-canary-node-pools', () => ['cluster-canary-core-addons']);
    expect(orderViolations(shape, broken)).toEqual(expect.arrayContaining([
      'control plane before node pools: cluster-canary-node-pools does not follow cluster-canary-control-plane',
    ]));
  });

  test('fails if a managed cluster moves before the management cluster finished', () => {
    const broken = withDeps(ks, 'cluster-canary-core-addons', () => ['cluster-canary-preflight', 'mgmt-control-plane']);
    expect(orderViolations(shape, broken)).toEqual(expect.arrayContaining([
      'management before managed: cluster-canary-core-addons does not follow mgmt-node-pools',
    ]));
  });

  test('fails if the providers (and so Kubernetes) can move before an app layer', () => {
    const broken = withDeps(ks, 'mgmt-capi-providers', () => ['ws-team-a-apps-ready']);
    expect(orderViolations(shape, broken)).toEqual(expect.arrayContaining([
      'providers after every app layer: mgmt-capi-providers does not follow ws-team-b-apps-ready',
      'apps before Kubernetes: mgmt-control-plane does not follow ws-team-b-apps-ready',
    ]));
  });

  test('fails if a cluster\'s Konvoy layers skip its premise, or its preflight waits for anything but mgmt-preflight', () => {
    expect(orderViolations(shape, withDeps(ks, 'cluster-canary-core-addons', () => ['mgmt-node-pools']))).toEqual(expect.arrayContaining([
      'a cluster changes nothing before its premise is proven: cluster-canary-core-addons does not follow cluster-canary-preflight',
    ]));
    expect(orderViolations(shape, withDeps(ks, 'cluster-canary-preflight', () => ['mgmt-kommander']))).toEqual(expect.arrayContaining([
      'cluster preflight: cluster-canary-preflight follows 2 layers, not mgmt-preflight alone (it must run from the start)',
    ]));
  });

  test('fails on structure: unsorted, redundant, unknown, cross-namespace or cyclic dependencies, a missing or extra layer', () => {
    expect(orderViolations(shape, withDeps(ks, 'wave-2', (d) => [...d].reverse()))).toContain('structure: wave-2: dependsOn is not sorted by name');
    expect(orderViolations(shape, withDeps(ks, 'mgmt-node-pools', (d) => [...d, 'mgmt-preflight'])))
      .toContain('structure: mgmt-node-pools lists mgmt-preflight, which mgmt-control-plane already follows');
    expect(orderViolations(shape, withDeps(ks, 'wave-2', (d) => [...d, 'zz-nothing'])))
      .toContain('structure: wave-2 depends on flux-system/zz-nothing, which is no Kustomization of dist/fleet');
    expect(orderViolations(shape, withDeps(ks, 'mgmt-preflight', () => ['wave-2'])))
      .toEqual(expect.arrayContaining([expect.stringMatching(/^structure: a dependsOn cycle: /)]));
    const moved = ks.map((k) => (k.name === 'mgmt-kommander' ? { ...k, namespace: 'elsewhere' } : k));
    expect(orderViolations(shape, moved)).toContain('structure: mgmt-platform-apps depends on flux-system/mgmt-kommander, which is no Kustomization '
      + 'of dist/fleet (it lives in namespace elsewhere)');
    expect(orderViolations(shape, ks.filter((k) => k.name !== 'wave-1'))).toContain('structure: wave-1 is missing');
    expect(orderViolations(shape, [...ks, { name: 'cluster-ghost-core-addons', namespace: 'flux-system', dependsOn: [], suspend: false }]))
      .toEqual(expect.arrayContaining(['structure: cluster-ghost-core-addons is not a layer this fleet asks for']));
    expect(orderViolations(shape, ks, { bootstrap: { name: 'other', namespace: 'flux-system' } }))
      .toContain('structure: mgmt-preflight depends on flux-system/dkp-fleet, which is no Kustomization of dist/fleet');
  });

  test('fails if a layer is suspended that no hold names', () => {
    const held = ks.map((k) => (k.name === 'cluster-canary-control-plane' ? { ...k, suspend: true } : k));
    expect(orderViolations(shape, held)).toEqual(['hold: cluster-canary-control-plane is suspended']);
  });
});

describe('the ordering oracle on rollout controls', () => {
  /** Three managed clusters in waves 1, 2 and 3; wave 1 soaks, wave 2 has a failure budget, wave 3 and cluster c1 are held. */
  function rolloutFleet(): any {
    const f = baseFleet();
    f.spec.flux = { gateImage: 'registry.example/kubectl:v1.22.8' };
    const c = f.spec.workspaces[0].clusters[0];
    f.spec.workspaces[0].clusters = [1, 2, 3, 4].map((n) => ({ ...c, name: `c${n}`, wave: Math.min(n, 3), nodePools: [{ name: `c${n}-md-0` }] }));
    f.spec.rollout = { hold: ['wave-3', 'cluster-c1'], waves: [{ wave: 1, soak: '1h' }, { wave: 2, maxFailures: 1 }] };
    return f;
  }

  const fleet = rolloutFleet();
  const file = writeFleet(fleet);
  const ks = synth(file);
  const shape = fleetShape(fleet);

  test('finds nothing wrong in what dkp-fleet writes', () => {
    expect(ks.map((k) => k.name)).toEqual(expect.arrayContaining(['wave-1-soak', 'wave-2', 'wave-3']));
    expect(orderViolations(shape, ks, { bootstrap: { name: 'dkp-fleet', namespace: 'flux-system' } })).toEqual([]);
  });

  test('fails if a wave after a failure budget does not wait for its barrier, or skips the soak', () => {
    const noBudget = withDeps(ks, 'cluster-c4-core-addons', (d) => d.map((x) => (x === 'wave-2' ? 'wave-1-soak' : x)));
    expect(orderViolations(shape, noBudget)).toEqual(expect.arrayContaining([
      'waves: wave 3 after wave 2 (its failure budget barrier): cluster-c4-core-addons does not follow wave-2',
    ]));
    const noSoak = withDeps(ks, 'wave-2', () => ['wave-1']);
    expect(orderViolations(shape, noSoak)).toEqual(expect.arrayContaining([
      'waves: wave 2 after wave 1 (its soak): wave-2 does not follow wave-1-soak',
    ]));
  });

  test('fails if a hold does not suspend the held cluster\'s first Konvoy layer', () => {
    const released = ks.map((k) => (k.name === 'cluster-c1-core-addons' || k.name === 'wave-3' ? { ...k, suspend: false } : k));
    expect(orderViolations(shape, released).sort()).toEqual(['hold: cluster-c1-core-addons is not suspended']);
  });
});
