import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { tempDir, writeFleet } from '../helpers';
import { kindsOf } from './harness/fake-apiserver';
import { GateResult } from './harness/gate-run';
import { rolloutFleet } from './harness/rollout-fleet';
import { runSequence } from './harness/sequence-run';
import { FIXTURES } from './harness/variants';
import { synthesize } from '../../src/synth';

/**
 * The rollout controls' Jobs against the status sequences Flux really writes (test/fixtures/
 * timelines/rollout/*.yaml, each moment citing kustomize-controller): the script dkp-fleet wrote
 * to dist/ runs once through each sequence, as its one pod would, with the objects and the clock
 * changing while it sleeps.
 */
interface Sequence {
  readonly name: string;
  readonly moments: readonly { readonly name: string; readonly expect: GateResult; readonly elapsed?: number; readonly objects: Record<string, any>[] }[];
}

const synthRollout = () => synthesize({ fleetFile: writeFleet(rolloutFleet(), tempDir()) });
const out = synthRollout();
/**
 * The script of a layer's Job, from an output synthesized for the test that runs it (not the one above): a test
 * covers only the code it runs itself, and the mutation run tests a mutant of the scripts only with tests that cover it.
 */
function scriptOf(layer: string): string {
  const job = synthRollout().files.find((f) => f.path.startsWith(`${layer}/job.`))!;
  const o = YAML.parse(job.content);
  expect(o.spec.backoffLimit).toBe(0);
  return o.spec.template.spec.containers[0].command[2];
}
const load = (file: string): Sequence[] => YAML.parse(fs.readFileSync(path.join(FIXTURES, 'rollout', file), 'utf8')).sequences;

describe.each([
  ['budget.yaml', 'wave-2'],
  ['soak.yaml', 'wave-1-soak'],
])('%s: the Job of %s', (file, layer) => {
  test.each(load(file).map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const kinds = kindsOf(s.moments.flatMap((m) => m.objects));
    const { verdicts, output } = await runSequence(scriptOf(layer), kinds, s.moments.map((m) => ({ objects: m.objects, elapsed: m.elapsed })));
    expect([...verdicts.map((v, i) => `${s.moments[i].name}: ${v}`), output])
      .toEqual([...s.moments.map((m) => `${m.name}: ${m.expect}`), expect.any(String)]);
  });
});

describe('what the rollout Jobs say', () => {
  test('the budget names the failed clusters and the budget', async () => {
    const s = load('budget.yaml').find((x) => x.name === 'two fail: more than the budget')!;
    const { output } = await runSequence(scriptOf('wave-2'), kindsOf(s.moments.flatMap((m) => m.objects)), s.moments);
    expect(output).toContain('failed: wave 2: 2 clusters failed (east north), more than the budget of 1');
    expect(output).toContain("north: failed: flux-system/cluster-north-control-plane: HealthCheckFailed: health check failed after 30m0.01s: failed early");
  });

  test('the soak names the degraded layer', async () => {
    const s = load('soak.yaml').find((x) => x.name === 'degraded during the soak')!;
    const { output } = await runSequence(scriptOf('wave-1-soak'), kindsOf(s.moments.flatMap((m) => m.objects)), s.moments);
    expect(output).toContain('failed: wave 1 degraded during its soak: canary: flux-system/cluster-canary-platform-apps: HealthCheckFailed');
  });
});

describe('the rollout layers', () => {
  const layer = (name: string) => out.plan.layers.find((l) => l.name === name)!;
  test('wave 2 starts after wave 1\'s soak, which starts after wave 1; the budget barrier starts with its wave', () => {
    expect(layer('wave-1-soak').dependsOn).toEqual(['wave-1']);
    expect(layer('cluster-west-core-addons').dependsOn).toEqual(['cluster-west-preflight', 'wave-1-soak']);
    expect(layer('wave-2').dependsOn).toEqual(['wave-1-soak']);
    expect(layer('wave-2').kind).toBe('wave-budget');
  });

  test('run where Flux runs (no kubeConfig), read only Kustomizations and the source, with timeouts that fit', () => {
    for (const name of ['wave-1-soak', 'wave-2']) {
      const k = YAML.parse(out.files.find((f) => f.path === `fleet/${name}.yaml`)!.content);
      expect(k.spec.kubeConfig).toBeUndefined();
      const role = YAML.parse(out.files.find((f) => f.path.startsWith(`${name}/role.`))!.content);
      expect(role.rules.map((r: any) => `${r.apiGroups[0]}/${r.resources[0]} ${r.verbs.join(',')}`).sort())
        .toEqual(['kustomize.toolkit.fluxcd.io/kustomizations get', 'source.toolkit.fluxcd.io/gitrepositories get']);
    }
    expect(YAML.parse(out.files.find((f) => f.path === 'fleet/wave-1-soak.yaml')!.content).spec.timeout).toBe('130m');
  });
});
