import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { groupOf, kindsOf, plural } from './harness/fake-apiserver';
import { runGate } from './harness/gate-run';
import { rolloutFleet } from './harness/rollout-fleet';
import { checksOf, FIXTURES, Mode, synth, Variant } from './harness/variants';
import { gateScript, readsOf, shellCheckOf } from '../../src/gates/gate-script';
import { Read, resourceOf } from '../../src/gates/kinds/kind';
import { rolloutReads } from '../../src/gates/rollout-gates';
import { HealthCheck } from '../../src/planner/layer';
import { synthesize } from '../../src/synth';
import { tempDir, writeFleet } from '../helpers';

/**
 * What a Job gate reads becomes its RBAC (get by name): an object its script reads but the reads leave out is Forbidden on a
 * real cluster, and the gate waits forever. The fake API server of the timelines grants everything, so this is checked here,
 * against the tests' own idea of the resource of a kind (the fake API server's plural) and of what each script reads.
 */
/** Whether the reads allow a get of `name` or, without a name, a list. */
const grants = (reads: readonly Read[], group: string, resource: string, namespace: string | undefined, name: string | undefined) =>
  reads.some((r) => r.group === group && r.resource === resource && r.namespace === namespace
    && (r.names === undefined || (name !== undefined && r.names.includes(name))));

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

  test('holds everything its script asks the API server for (each kind of check, run once)', async () => {
    const seen = new Map<string, HealthCheck>();
    for (const out of outputs) {
      for (const { check } of checksOf(out)) {
        if (shellCheckOf(check) !== undefined) seen.set(`${check.expect.type} ${check.apiVersion} ${check.kind}`, check);
      }
    }
    expect(seen.size).toBeGreaterThan(8);
    // the kinds of the checks and of every timeline, so that kubectl's discovery knows each resource a script names
    const kinds = kindsOf([
      ...[...seen.values()].map((c) => ({ apiVersion: c.apiVersion, kind: c.kind })),
      ...fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'))
        .flatMap((f) => (YAML.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')).steps ?? []).flatMap((s: any) => s.objects ?? [])),
    ]);
    for (const [what, check] of seen) {
      const { reads: asked } = await runGate(gateScript([check]), kinds, []);
      expect([what, asked.length > 0]).toEqual([what, true]);
      const reads = readsOf([check]);
      // after a NotFound this kubectl also asks for the object's namespace (to word its error): the gate acts on the NotFound alone
      for (const r of asked.filter((x) => !(x.group === '' && x.resource === 'namespaces'))) {
        expect([what, r, grants(reads, r.group, r.resource, r.namespace, r.name)]).toEqual([what, r, true]);
      }
    }
  });

  test('names a kind\'s resource as the API server does: lowercase plural, qualified by the group', () => {
    expect([
      ['addons.cluster.x-k8s.io/v1alpha1', 'HelmChartProxy'], ['networking.k8s.io/v1', 'Ingress'], ['velero.io/v1', 'Backup'],
      ['v1', 'ConfigMap'], ['cluster.x-k8s.io/v1beta1', 'Cluster'],
    ].map(([apiVersion, kind]) => resourceOf({ apiVersion, kind }).qualified)).toEqual([
      'helmchartproxies.addons.cluster.x-k8s.io', 'ingresses.networking.k8s.io', 'backups.velero.io', 'configmaps', 'clusters.cluster.x-k8s.io',
    ]);
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
