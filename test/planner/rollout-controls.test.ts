import * as YAML from 'yaml';
import { checkInvariants } from '../../src/planner/invariants';
import { synthesize } from '../../src/synth';
import { rolloutFleet } from '../gates/harness/rollout-fleet';
import { problemsOf, tempDir, writeFleet } from '../helpers';

const synth = (f: unknown) => synthesize({ fleetFile: writeFleet(f, tempDir()) });
const files = (f: unknown) => new Map(synth(f).files.map((x) => [x.path, x.content]));

/** Paths whose content differs between two outputs (added or removed included). */
function diff(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}

describe('holds', () => {
  test('a held wave suspends the first change of each of its clusters, and nothing else changes but PLAN.md', () => {
    const before = files(rolloutFleet());
    const f = rolloutFleet();
    f.spec.rollout.hold = ['wave-2'];
    const after = files(f);
    expect(diff(before, after)).toEqual([
      'PLAN.md', 'fleet/cluster-east-core-addons.yaml', 'fleet/cluster-north-core-addons.yaml', 'fleet/cluster-west-core-addons.yaml', 'fleet/wave-2.yaml',
    ]);
    for (const p of ['fleet/cluster-east-core-addons.yaml', 'fleet/wave-2.yaml']) {
      const [x, y] = [YAML.parse(before.get(p)!), YAML.parse(after.get(p)!)];
      expect(y.spec.suspend).toBe(true);
      delete y.spec.suspend;
      expect(y).toEqual(x);
    }
    expect(after.get('PLAN.md')).toContain('remove `wave-2` from spec.rollout.hold in the fleet file, synthesize and commit: the diff is `suspend: true` '
      + 'leaving dist/fleet/cluster-west-core-addons.yaml, dist/fleet/cluster-east-core-addons.yaml, dist/fleet/cluster-north-core-addons.yaml, '
      + 'dist/fleet/wave-2.yaml');
  });

  test('a held cluster suspends its first change only; its preflight still proves the premise', () => {
    const f = rolloutFleet();
    f.spec.rollout.hold = ['cluster-west'];
    const layers = synth(f).plan.layers;
    expect(layers.filter((l) => l.suspend).map((l) => l.name)).toEqual(['cluster-west-core-addons']);
  });

  test.each([
    [['wave-3'], 'spec.rollout.hold[0]: "wave-3" is not a wave or managed cluster of this fleet; holdable: wave-1, wave-2, cluster-canary'],
    [['cluster-mgmt'], 'spec.rollout.hold[0]: "cluster-mgmt" is not a wave or managed cluster of this fleet'],
    [['prod'], 'spec.rollout.hold[0]: "prod" is not a wave or cluster to hold; write wave-<n> or cluster-<name>'],
    [['next-wave-2'], 'spec.rollout.hold[0]: "next-wave-2" is not a wave or cluster to hold; write wave-<n> or cluster-<name>'],
    [['wave-2b'], 'spec.rollout.hold[0]: "wave-2b" is not a wave or cluster to hold; write wave-<n> or cluster-<name>'],
    [['wave-1', 'wave-1'], 'spec.rollout.hold[1]: hold entry "wave-1" is already used at spec.rollout.hold[0]'],
  ])('fails if a hold names %j', (hold, message) => {
    const f = rolloutFleet();
    f.spec.rollout.hold = hold;
    expect(problemsOf(() => synth(f)).join('\n')).toContain(message);
  });

  test('fails if the Flux that runs the layers has no revision lock (a held layer would pass on its Ready from the last upgrade)', () => {
    const f = rolloutFleet();
    f.spec.rollout = { hold: ['wave-2'] };
    f.spec.flux = { mode: 'kommander', gateImage: 'registry.example/kubectl:v1.22.8' };
    // DKP 2.1's Flux: kustomize-controller v0.18.0, before the revision lock of v0.19.0
    expect(problemsOf(() => synth(f)).join('\n')).toContain('spec.rollout.hold: Kommander\'s Flux');
    expect(problemsOf(() => synth(f)).join('\n')).toMatch(/has no revision lock in dependsOn \(kustomize-controller v0\.19\.0\): a held layer keeps its Ready/);
  });
});

describe('soaks and failure budgets', () => {
  test.each([
    [{ wave: 3, soak: '1h' }, 'spec.rollout.waves[0].wave: no managed cluster is in wave 3; waves of this fleet: 1, 2'],
    [{ wave: 1, soak: '30s' }, 'spec.rollout.waves[0].soak: "30s" is shorter than a minute'],
    [{ wave: 1, soak: '59s' }, 'spec.rollout.waves[0].soak: "59s" is shorter than a minute'],
    [{ wave: 1, soak: 'two hours' }, 'spec.rollout.waves[0].soak: "two hours" is not a duration'],
    [{ wave: 1, maxFailures: -1 }, 'spec.rollout.waves[0].maxFailures'],
  ])('fails if a wave control is %j', (w, message) => {
    const f = rolloutFleet();
    f.spec.rollout.waves = [w];
    expect(problemsOf(() => synth(f)).join('\n')).toContain(message);
  });

  test('a soak of exactly a minute is accepted', () => {
    const f = rolloutFleet();
    f.spec.rollout.waves = [{ wave: 1, soak: '1m' }];
    expect(() => synth(f)).not.toThrow();
  });

  test('fails if a soak or a budget has no gate image to run its Job', () => {
    const f = rolloutFleet();
    delete f.spec.flux.gateImage;
    const found = problemsOf(() => synth(f)).join('\n');
    expect(found).toContain('spec.rollout.waves[0].soak: needs spec.flux.gateImage (an image with sh and kubectl): the soak is a Job');
    expect(found).toContain('spec.rollout.waves[1].maxFailures: needs spec.flux.gateImage');
    // only the controls a wave sets: its soak alone, not a budget it does not have
    expect(found).not.toContain('spec.rollout.waves[0].maxFailures');
    expect(found).not.toContain('spec.rollout.waves[1].soak');
  });

  test('fails if a wave is controlled twice', () => {
    const f = rolloutFleet();
    f.spec.rollout.waves = [{ wave: 1, soak: '1h' }, { wave: 1, maxFailures: 1 }];
    expect(problemsOf(() => synth(f)).join('\n')).toContain('spec.rollout.waves[1].wave: wave "1" is already used at spec.rollout.waves[0].wave');
  });

  test('a budget barrier satisfies the wave invariant; without it, a later wave starting early is caught', () => {
    const f = rolloutFleet();
    f.spec.workspaces[0].clusters.push({ name: 'south', provider: 'azure', kubernetesVersion: '1.21.6', wave: 3, nodePools: [{ name: 'south-md-0' }] });
    const layers = synth(f).plan.layers;
    expect(checkInvariants(layers)).toEqual([]);
    // the barrier's Job is what holds wave 3 back: a wave-3 layer that skips it is a violation
    const broken = layers.map((l) => (l.name === 'cluster-south-core-addons' ? { ...l, dependsOn: ['cluster-south-preflight', 'wave-1-soak'] } : l));
    expect(checkInvariants(broken)).toContain('cluster-south-core-addons: (wave 3) can start before earlier-wave layer wave-2');
  });
});
