import { plural } from './harness/fake-apiserver';
import { rolloutFleet } from './harness/rollout-fleet';
import { checksOf, Mode, synth, Variant } from './harness/variants';
import { readsOf, shellCheckOf } from '../../src/gates/gate-script';
import { Read } from '../../src/gates/kinds/kind';
import { rolloutReads } from '../../src/gates/rollout-gates';
import { synthesize } from '../../src/synth';
import { tempDir, writeFleet } from '../helpers';

/**
 * What a Job gate reads becomes its RBAC (get by name): an object its script reads but the reads leave out is Forbidden on a
 * real cluster, and the gate waits forever. The fake API server of the timelines grants everything, so this is checked here,
 * against the tests' own idea of the resource of a kind (the fake API server's plural) and of what each script reads.
 */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const grants = (reads: readonly Read[], group: string, resource: string, namespace: string | undefined, name: string) =>
  reads.some((r) => r.group === group && r.resource === resource && r.namespace === namespace && (r.names === undefined || r.names.includes(name)));

describe('what a Job gate reads', () => {
  const outputs = (['hub', 'kommander'] as Mode[]).flatMap((mode) => (['classic', 'operator', 'topology', 'hcp'] as Variant[]).map((v) => synth(mode, v)));

  test('holds the object of every check it runs, by its group, resource, namespace and name', () => {
    let checked = 0;
    for (const out of outputs) {
      for (const { check } of checksOf(out)) {
        if (shellCheckOf(check) === undefined) continue;
        const reads = readsOf([check]);
        expect([check.kind, check.name, grants(reads, groupOf(check.apiVersion), plural(check.kind), check.namespace, check.name)])
          .toEqual([check.kind, check.name, true]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  test('of a rollout control: the source and every Kustomization of every cluster it watches', () => {
    const out = synthesize({ fleetFile: writeFleet(rolloutFleet(), tempDir()) });
    const source = out.plan.fleet.flux.sourceRef;
    const gates = out.plan.layers.flatMap((l) => (l.rolloutGate ? [l.rolloutGate] : []));
    expect(gates.map((g) => g.type).sort()).toEqual(['budget', 'soak']);
    for (const g of gates) {
      const reads = rolloutReads(g, source);
      expect(grants(reads, 'source.toolkit.fluxcd.io', 'gitrepositories', source.namespace, source.name)).toBe(true);
      const watched = g.clusters.flatMap((c) => [c.last, ...c.layers]);
      expect(watched.length).toBeGreaterThan(g.clusters.length);
      for (const k of watched) {
        expect([k.name, grants(reads, 'kustomize.toolkit.fluxcd.io', 'kustomizations', k.namespace, k.name)]).toEqual([k.name, true]);
      }
    }
  });
});
