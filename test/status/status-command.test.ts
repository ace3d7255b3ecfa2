// `dkp-fleet status` through runStatus with a fake io, on snapshots of the shipped fleet (fleet.yaml,
// hub mode) and of examples/kommander-mode.yaml (kommander mode, layers in two namespaces) taken at
// several points of a rollout: test/fixtures/status/*.yaml (their header comments say what each shows
// and where the statuses come from).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { joinParts, renderFolders } from '../../src/charts/render-folders';
import { layerNamespace } from '../../src/status/fleet-kustomizations';
import { LayerState } from '../../src/status/layer-state';
import { StatusReport } from '../../src/status/report';
import { runStatus, STATUS_USAGE } from '../../src/status-command';
import { planSynthesis } from '../../src/synth';
import { ROOT, tempDir } from '../helpers';

const HUB = 'fleet.yaml';
const KOMMANDER = 'examples/kommander-mode.yaml';
const FIXTURES = path.join('test', 'fixtures', 'status');
const fixture = (name: string) => path.join(FIXTURES, name);
const R1 = 'main@sha1:6c3f7d1a0b9e4c2f8d5a7b3e1f0c9d8a7b6e5f4d';
const R2 = 'main@sha1:9e2b4a7c1d3f5e8a0b6c2d4f7a9e1c3b5d7f0a2e';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the command in the repository (relative paths, as a user types them), with a fake io. */
function status(args: readonly string[], env: Record<string, string | undefined> = {}): Run {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = runStatus(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, env });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

const json = (args: readonly string[]): StatusReport => {
  const r = status([...args, '--json']);
  expect(r.err).toBe('');
  return JSON.parse(r.out) as StatusReport;
};

/** A copy of a fixture, changed, in a temporary folder. */
function changed(name: string, change: (items: any[]) => any[]): string {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, fixture(name)), 'utf8'));
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, YAML.stringify({ ...doc, items: change(doc.items) }));
  return file;
}

/** What every refusal looks like: exit 1, nothing on stdout, the named problems, no stack trace. */
function expectRefused(r: Run, head: string, problems: readonly string[]): void {
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  expect(r.err).toBe(`dkp-fleet: ${head} (${problems.length} problem${problems.length === 1 ? '' : 's'})\n${problems.map((p) => `  ${p}\n`).join('')}`);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('where the upgrade stands, at each point of a rollout', () => {
  test.each([
    // fixture, fleet, exit code, counts of the states that occur
    ['hub-0-nothing-created.yaml', HUB, 3, { missing: 20 }],
    ['hub-1-wave-running.yaml', HUB, 3, { done: 15, running: 1, waiting: 4 }],
    ['hub-2-failed-cluster.yaml', HUB, 1, { done: 15, failed: 1, waiting: 4 }],
    ['hub-3-held-wave.yaml', HUB, 3, { done: 15, held: 1, waiting: 4 }],
    ['hub-4-stale-ready.yaml', HUB, 3, { 'done-at-older-revision': 20 }],
    ['hub-5-all-done.yaml', HUB, 0, { done: 20 }],
    ['kommander-0-nothing-created.yaml', KOMMANDER, 3, { missing: 10 }],
    ['kommander-1-running.yaml', KOMMANDER, 3, { done: 5, running: 1, waiting: 4 }],
    ['kommander-2-failed.yaml', KOMMANDER, 1, { done: 5, failed: 1, waiting: 4 }],
    ['kommander-3-held.yaml', KOMMANDER, 3, { done: 8, held: 1, waiting: 1 }],
    ['kommander-4-stale-ready.yaml', KOMMANDER, 3, { 'done-at-older-revision': 10 }],
    ['kommander-5-all-done.yaml', KOMMANDER, 0, { done: 10 }],
  ] as const)('%s (%s): exit %d', (name, fleet, code, counts) => {
    const text = status([fixture(name), '--fleet', fleet]);
    expect([text.code, text.err]).toEqual([code, '']);
    const report = json([fixture(name), '--fleet', fleet]);
    expect(report.exitCode).toBe(code);
    expect(Object.fromEntries(Object.entries(report.counts).filter(([, n]) => n > 0))).toEqual(counts);
    expect(text.out).toMatch(new RegExp(`\\nresult: [^\\n]+ \\(exit ${code}\\)\\n$`));
  });

  test('a failed cluster: the exact text, with Flux\'s message, the active wave and what blocks it', () => {
    expect(status([fixture('hub-2-failed-cluster.yaml')])).toEqual({ code: 1, err: '', out: `\
fleet acme: DKP 2.1.1 -> 2.2.0, 20 layers run by the hub's Flux in namespace flux-system
source: GitRepository flux-system/fleet at ${R2}
bootstrap: Kustomization flux-system/dkp-fleet done

#   wave  namespace    layer                             state
1         flux-system  mgmt-preflight                    done
2         flux-system  mgmt-kommander                    done
3         flux-system  mgmt-platform-apps                done
4         flux-system  ws-team-a-platform-apps           done
5   1     flux-system  cluster-prod-east-platform-apps   done
6         flux-system  cluster-eks-legacy-platform-apps  done
7         flux-system  ws-team-a-catalog-apps            done
8   1     flux-system  cluster-prod-east-catalog-apps    done
9         flux-system  cluster-eks-legacy-catalog-apps   done
10        flux-system  ws-team-a-apps-ready              done
11        flux-system  mgmt-capi-providers               done
12        flux-system  mgmt-core-addons                  done
13        flux-system  mgmt-control-plane                done
14        flux-system  mgmt-node-pools                   done
15  1     flux-system  cluster-prod-east-preflight       done
16  1     flux-system  cluster-prod-east-core-addons     failed
      Ready=False HealthCheckFailed: health check failed after 30m0.04s: timeout waiting for: [ClusterResourceSetBinding/team-a/prod-east status: 'InProgress']
17  1     flux-system  cluster-prod-east-addons-ready    waiting on cluster-prod-east-core-addons (failed)
18  1     flux-system  cluster-prod-east-control-plane   waiting on cluster-prod-east-addons-ready (waiting)
19  1     flux-system  cluster-prod-east-node-pools      waiting on cluster-prod-east-control-plane (waiting)
20  1     flux-system  wave-1                            waiting on cluster-prod-east-node-pools (waiting)

active: wave 1, 1 of 6 layers done
blocked by: cluster-prod-east-core-addons (failed)
layers: 15 done, 1 failed, 4 waiting
result: failed (exit 1)
` });
  });

  test('kommander mode: the layers in two namespaces, found where the fleet chart places them; the exact text', () => {
    expect(status([fixture('kommander-1-running.yaml'), '--fleet', KOMMANDER])).toEqual({ code: 3, err: '', out: `\
fleet onprem: DKP 2.2.1 -> 2.3.2, 10 layers run by Kommander's Flux in namespaces edge, kommander-flux
source: GitRepository kommander-flux/fleet at main/9e2b4a7c1d3f5e8a0b6c2d4f7a9e1c3b5d7f0a2e
bootstrap: Kustomization kommander-flux/dkp-fleet done

#   wave  namespace       layer                           state
1         kommander-flux  mgmt-preflight                  done
2         kommander-flux  mgmt-kommander                  done
3         kommander-flux  mgmt-platform-apps              done
4         kommander-flux  ws-edge-platform-apps           done
5   1     edge            cluster-edge-1-platform-apps    running
      Reconciling=True Progressing: Running health checks for revision main/9e2b4a7c1d3f5e8a0b6c2d4f7a9e1c3b5d7f0a2e with a timeout of 30m0s
6         edge            cluster-edge-aks-platform-apps  done
7         kommander-flux  ws-edge-catalog-apps            waiting on cluster-edge-1-platform-apps (running)
8   1     edge            cluster-edge-1-catalog-apps     waiting on ws-edge-catalog-apps (waiting)
9         edge            cluster-edge-aks-catalog-apps   waiting on ws-edge-catalog-apps (waiting)
10        kommander-flux  ws-edge-apps-ready              waiting on cluster-edge-1-catalog-apps (waiting), cluster-edge-aks-catalog-apps (waiting)

active: management, 5 of 10 layers done
blocked by: cluster-edge-1-platform-apps (running)
layers: 5 done, 1 running, 4 waiting
result: in progress (exit 3)
` });
  });

  test('nothing created yet: every layer missing, the bootstrap Kustomization blocks the management stage', () => {
    const r = status([fixture('hub-0-nothing-created.yaml')]);
    expect(r.code).toBe(3);
    expect(r.out).toContain(`bootstrap: Kustomization flux-system/dkp-fleet running
      Reconciling=True Progressing: Fetching manifests for revision ${R2} with a timeout of 5m0s
`);
    expect(r.out).toContain('\n1         flux-system  mgmt-preflight                    missing\n2 ');
    expect(r.out.slice(r.out.indexOf('\n\nmissing:') + 2)).toBe(`\
missing: every layer (not created yet: the bootstrap Kustomization flux-system/dkp-fleet creates it)
active: management (the layers before wave 1), 0 of 14 layers done
blocked by: the bootstrap Kustomization flux-system/dkp-fleet (running)
layers: 20 missing
result: in progress (exit 3)
`);
    expect(json([fixture('kommander-0-nothing-created.yaml'), '--fleet', KOMMANDER]).active).toEqual({
      stage: 'management', layers: 10, done: 0, blocker: 'bootstrap',
      blockedBy: [{ name: 'dkp-fleet', namespace: 'kommander-flux', state: 'running' }],
    });
  });

  test('a held wave: the suspended entry layer blocks wave 1, what waits on it says so, and how to resume it', () => {
    const r = status([fixture('hub-3-held-wave.yaml')]);
    expect(r.code).toBe(3);
    expect(r.out).toContain(`\
16  1     flux-system  cluster-prod-east-core-addons     held
      spec.suspend is true: Flux applies nothing of it until it is resumed (last applied ${R1})
      fleet.yaml does not hold it (spec.rollout.hold): \`flux resume kustomization -n flux-system cluster-prod-east-core-addons\` resumes it
17  1     flux-system  cluster-prod-east-addons-ready    waiting on cluster-prod-east-core-addons (held)
`);
    expect(r.out).toContain('\nactive: wave 1, 1 of 6 layers done\nblocked by: cluster-prod-east-core-addons (held)\n');
    // an older kustomize-controller leaves observedGeneration behind when suspended: still held, in namespace edge
    const k = json([fixture('kommander-3-held.yaml'), '--fleet', KOMMANDER]);
    expect(k.layers.find((l) => l.state === 'held'))
      .toMatchObject({ name: 'cluster-edge-1-catalog-apps', namespace: 'edge', lastAppliedRevision: 'main/6c3f7d1a0b9e4c2f8d5a7b3e1f0c9d8a7b6e5f4d' });
    expect(k.active).toMatchObject({
      stage: 'management', blocker: 'failed-or-held', blockedBy: [{ name: 'cluster-edge-1-catalog-apps', namespace: 'edge', state: 'held' }],
    });
  });

  test('a stale Ready from the previous commit is not done: every layer Ready=True at R1, the source at R2, exit 3', () => {
    const r = status([fixture('hub-4-stale-ready.yaml')]);
    expect(r.code).toBe(3);
    const report = json([fixture('hub-4-stale-ready.yaml')]);
    expect(report.layers.every((l) => l.condition === 'Ready=True ReconciliationSucceeded' && l.lastAppliedRevision === R1)).toBe(true);
    expect(report.layers.map((l) => l.state)).toEqual(Array(20).fill('done-at-older-revision'));
    expect(report.active).toEqual({ stage: 'management', layers: 14, done: 0, blocker: 'next', blockedBy: [
      { name: 'mgmt-preflight', namespace: 'flux-system', state: 'done-at-older-revision' },
    ] });
    expect(r.out).toContain(`\
1         flux-system  mgmt-preflight                    done at an older revision
      last applied ${R1}
2         flux-system  mgmt-kommander                    done at an older revision, waiting on mgmt-preflight (done at an older revision)
`);
    expect(r.out).toContain('\nblocked by: nothing failed, held or running; next to run: mgmt-preflight (done at an older revision)\n');
    // the same Kustomizations with the source still at R1 are all done: only the revision made the difference
    const atR1 = changed('hub-4-stale-ready.yaml', (items) => items.map((o) => (o.kind === 'GitRepository' && o.metadata.name === 'fleet'
      ? { ...o, status: { ...o.status, artifact: { ...o.status.artifact, revision: R1 } } }
      : o.metadata.name === 'dkp-fleet' ? { ...o, status: { ...o.status, lastAppliedRevision: R1 } } : o)));
    expect(status([atR1]).code).toBe(0);
  });

  test('everything done: exit 0; a Kustomization of this fleet the plan no longer has is stale; another fleet\'s layers are ignored', () => {
    const r = status([fixture('hub-5-all-done.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out.slice(r.out.indexOf('\n\nactive:') + 2)).toBe(`\
active: none: every layer is done at ${R2}
stale: 1 Kustomization of fleet acme that the plan no longer has (the bootstrap Kustomization deletes them if it prunes; else delete them)
  flux-system/cluster-prod-west-core-addons  done at an older revision
layers: 20 done
result: done: every layer is done at this revision (exit 0)
`);
    const report = json([fixture('hub-5-all-done.yaml')]);
    expect(report.stale.map((s) => `${s.namespace}/${s.name}`)).toEqual(['flux-system/cluster-prod-west-core-addons']);
    expect(report.failed).toEqual([]); // fleet lab's failed mgmt-preflight in flux-lab is not this fleet's
    expect(json([fixture('kommander-5-all-done.yaml'), '--fleet', KOMMANDER]).stale)
      .toEqual([expect.objectContaining({ name: 'cluster-edge-2-platform-apps', namespace: 'edge', state: 'done-at-older-revision' })]);
  });

  test('a failure elsewhere than the active stage is still reported, and fails the run', () => {
    // wave 1's preflight failed while the management stage still runs
    const file = changed('hub-1-wave-running.yaml', (items) => items.map((o) => {
      if (o.metadata.name === 'mgmt-node-pools') {
        return { ...o, status: { ...o.status, lastAppliedRevision: R1, conditions: [
          { type: 'Reconciling', status: 'True', reason: 'Progressing', message: `Running health checks for revision ${R2} with a timeout of 30m0s` },
          { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' }] } };
      }
      if (o.metadata.name === 'cluster-prod-east-preflight') {
        return { ...o, status: { ...o.status, lastAppliedRevision: R1, conditions: [{ type: 'Ready', status: 'False', reason: 'HealthCheckFailed',
          message: 'health check failed after 4.1s: failed early due to stalled resources: '
            + "[KubeadmControlPlane/team-a/prod-east-control-plane status: 'Failed']" }] } };
      }
      return o;
    }));
    const r = status([file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('\nactive: management (the layers before wave 1), 13 of 14 layers done\nblocked by: mgmt-node-pools (running)\n'
      + 'failed: cluster-prod-east-preflight\n');
  });

  test('--json: the StatusReport shape, keys sorted, the layers in PLAN.md\'s order', () => {
    const r = status([fixture('hub-1-wave-running.yaml'), '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.out) as StatusReport;
    const sorted = (o: object) => expect(Object.keys(o)).toEqual([...Object.keys(o)].sort());
    sorted(report);
    report.layers.forEach(sorted);
    expect(Object.keys(report)).toEqual([
      'active', 'bootstrap', 'counts', 'exitCode', 'failed', 'fleet', 'flux', 'from', 'layers', 'result', 'source', 'stale', 'to', 'version', 'waves',
    ]);
    expect(report).toMatchObject({
      version: 1, fleet: 'acme', from: '2.1.1', to: '2.2.0', result: 'in-progress', exitCode: 3, waves: [1], failed: [], stale: [],
      flux: { mode: 'hub', namespaces: ['flux-system'] },
      source: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system', revision: R2 },
      bootstrap: { name: 'dkp-fleet', namespace: 'flux-system', state: 'done' },
      counts: { 'done': 15, 'done-at-older-revision': 0, 'running': 1, 'failed': 0, 'held': 0, 'waiting': 4, 'missing': 0 },
      active: { stage: 'wave 1', wave: 1, layers: 6, done: 1, blocker: 'running',
        blockedBy: [{ name: 'cluster-prod-east-core-addons', namespace: 'flux-system', state: 'running' }] },
    });
    const plan = planSynthesis({ fleetFile: path.join(ROOT, HUB) }).document;
    expect(report.layers.map((l) => [l.index, l.name, l.kind, l.wave])).toEqual(plan.layers.map((l) => [l.index, l.name, l.kind, l.wave]));
    expect(report.layers.slice(13, 17)).toEqual([
      { index: 14, name: 'mgmt-node-pools', namespace: 'flux-system', kind: 'node-pools', stage: 'management', state: 'done',
        condition: 'Ready=True ReconciliationSucceeded', message: `Applied revision: ${R2}`, lastAppliedRevision: R2, lastAttemptedRevision: R2 },
      { index: 15, name: 'cluster-prod-east-preflight', namespace: 'flux-system', kind: 'preflight', wave: 1, stage: 'wave 1', state: 'done',
        condition: 'Ready=True ReconciliationSucceeded', message: `Applied revision: ${R2}`, lastAppliedRevision: R2, lastAttemptedRevision: R2 },
      { index: 16, name: 'cluster-prod-east-core-addons', namespace: 'flux-system', kind: 'core-addons', wave: 1, stage: 'wave 1', state: 'running',
        condition: 'Reconciling=True Progressing', message: `Running health checks for revision ${R2} with a timeout of 30m0s`, lastAttemptedRevision: R2 },
      { index: 17, name: 'cluster-prod-east-addons-ready', namespace: 'flux-system', kind: plan.layers[16].kind, wave: 1, stage: 'wave 1', state: 'waiting',
        condition: 'Ready=False DependencyNotReady', message: "dependency 'flux-system/cluster-prod-east-core-addons' is not ready",
        waitingOn: [{ name: 'cluster-prod-east-core-addons', namespace: 'flux-system', state: 'running' }] },
    ]);
    // a cluster's app layers keep PLAN.md's wave but run in the management stage
    expect(report.layers.find((l) => l.name === 'cluster-prod-east-platform-apps')).toMatchObject({ wave: 1, stage: 'management' });
  });

  test('finds each layer where the fleet chart writes its Kustomization (namespace included)', () => {
    for (const fleet of [HUB, KOMMANDER]) {
      const planned = planSynthesis({ fleetFile: path.join(ROOT, fleet) });
      const folder = joinParts([...renderFolders(planned.plan, planned.gates)]).find((f) => f.name === 'fleet')!;
      const written = new Map(folder.objects.map((o) => [o.object.metadata.name as string, o.object.metadata.namespace as string]));
      expect(planned.plan.layers.map((l) => [l.name, layerNamespace(planned.plan.fleet.flux, l)]))
        .toEqual(planned.plan.layers.map((l) => [l.name, written.get(l.name)]));
    }
  });

  test('prints what came from the snapshot with the characters a terminal acts on escaped', () => {
    const file = changed('hub-2-failed-cluster.yaml', (items) => items.map((o) => (o.metadata.name === 'cluster-prod-east-core-addons'
      ? { ...o, status: { ...o.status, conditions: [
        { type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed:\n\u001b[31mred\u001b[0m\nline 2' }] } }
      : o)));
    const r = status([file]);
    expect(r.out).toContain('\n      Ready=False BuildFailed: kustomize build failed:\n        \\u001b[31mred\\u001b[0m\n        line 2\n');
  });
});

describe('refused input: exit 1, the named problem, no stack trace', () => {
  test('fails if the snapshot is not YAML', () => {
    const file = path.join(tempDir(), 'ks.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: List\nitems: [\n');
    expectRefused(status([file]), `${file} was refused`,
      [`${file}:4: (syntax): malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`]);
  });

  test('fails if it is not a List of Kustomizations and GitRepositories (an inventory snapshot)', () => {
    const file = path.join(tempDir(), 'snapshot.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: List\nitems:\n'
      + '- apiVersion: cluster.x-k8s.io/v1beta1\n  kind: Cluster\n  metadata: {name: prod-east, namespace: team-a}\n');
    expectRefused(status([file]), `${file} was refused`, [`${file}:5: items[0]: a Cluster (cluster.x-k8s.io/v1beta1) is not a Flux Kustomization or source; `
      + 'expected the output of `kubectl get kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io -A -o yaml`']);
  });

  test('fails if no Kustomization of this fleet is in it: is this the right cluster/namespace?', () => {
    // only Flux's own objects and another fleet's layer: taken on the wrong cluster, or in the wrong namespace
    const file = changed('hub-5-all-done.yaml', (items) => items.filter((o) => o.metadata.namespace === 'flux-lab' || o.metadata.name === 'flux-system'
      || (o.kind === 'GitRepository' && o.metadata.name === 'fleet' && o.metadata.namespace === 'flux-system')));
    expectRefused(status([file]), `${file} does not show fleet acme`, [`${file}: (document): holds no Kustomization of fleet acme (fleet.yaml): neither the `
      + 'bootstrap Kustomization flux-system/dkp-fleet nor a layer such as flux-system/mgmt-preflight; it holds the layers of fleet lab. Is this the right '
      + 'cluster and namespace? The layers live in namespace flux-system; take the snapshot with `kubectl get kustomizations.kustomize.toolkit.fluxcd.io,'
      + 'gitrepositories.source.toolkit.fluxcd.io -A -o yaml` on the hub cluster, where Flux runs the layers']);
  });

  test('fails if the layers in the namespace are another fleet\'s, even with a bootstrap Kustomization of the same name', () => {
    const file = changed('hub-1-wave-running.yaml', (items) => items.map((o) => (o.metadata.labels?.['app.kubernetes.io/instance'] === 'acme'
      ? { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, 'app.kubernetes.io/instance': 'beta' } } } : o)));
    const r = status([file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('holds no layer of fleet acme (fleet.yaml), only a bootstrap Kustomization flux-system/dkp-fleet and the layers of fleet beta '
      + '(label app.kubernetes.io/instance). Is this the right cluster, and the right fleet file? The layers live in namespace flux-system; take the snapshot');
  });

  test('fails if the kommander fleet\'s snapshot is read against the hub fleet (and the reverse)', () => {
    const r = status([fixture('kommander-1-running.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('holds no GitRepository flux-system/fleet (spec.flux.sourceRef of fleet.yaml)');
    expect(r.err).toContain('holds no Kustomization of fleet acme (fleet.yaml)');
    expect(r.err).toContain('it holds the layers of fleet onprem');
    expect(status([fixture('hub-1-wave-running.yaml'), '--fleet', KOMMANDER]).err).toContain(
      'on the management cluster, where Kommander\'s Flux runs the layers');
  });

  test('fails if no GitRepository matches the fleet\'s sourceRef: names the one needed and the kubectl command', () => {
    const file = changed('hub-1-wave-running.yaml', (items) => items.filter((o) => !(o.kind === 'GitRepository' && o.metadata.name === 'fleet')));
    expectRefused(status([file]), `${file} does not show fleet acme`, [`${file}: (document): holds no GitRepository flux-system/fleet (spec.flux.sourceRef of `
      + 'fleet.yaml), whose status.artifact.revision is the commit the layers must be done at; take the snapshot with `kubectl get '
      + 'kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io -A -o yaml` on the hub cluster, where Flux runs the layers']);
    const elsewhere = changed('hub-1-wave-running.yaml', (items) => items.map((o) => (o.kind === 'GitRepository' && o.metadata.name === 'fleet'
      ? { ...o, metadata: { ...o.metadata, namespace: 'default' } } : o)));
    expect(status([elsewhere]).err).toContain('holds no GitRepository flux-system/fleet (spec.flux.sourceRef of fleet.yaml), whose status.artifact.revision is '
      + 'the commit the layers must be done at (it holds GitRepository default/fleet)');
  });

  test('fails if the GitRepository has no artifact yet: no layer can be told done', () => {
    const file = changed('hub-1-wave-running.yaml', (items) => items.map((o) => (o.kind === 'GitRepository' && o.metadata.name === 'fleet'
      ? { ...o, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'GitOperationFailed', message: 'failed to checkout' }] } }
      : o
    )));
    const r = status([file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^dkp-fleet: ${file.replace(/[.]/g, '\\.')} does not show fleet acme \\(1 problem\\)\n  ${file.replace(/[.]/g, '\\.')}:\\d+: `
      + '\\(document\\): GitRepository flux-system/fleet has no status.artifact.revision: source-controller has not fetched it yet '
      + '\\(Ready=False GitOperationFailed: failed to checkout\\), so no layer can be told done at a commit; take the snapshot again once it is Ready\n$'));
  });

  test('fails if the snapshot is a FIFO: refused without opening it', () => {
    const fifo = path.join(tempDir(), 'ks.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectRefused(status([fifo]), `${fifo} was refused`, [`${fifo}: (file): is a FIFO; give the snapshot as a regular file`]);
  });

  test('fails if the snapshot is a folder or does not exist', () => {
    const dir = tempDir();
    expectRefused(status([dir]), `${dir} was refused`, [`${dir}: (file): cannot be read: EISDIR`]);
    const none = path.join(dir, 'none.yaml');
    expectRefused(status([none]), `${none} was refused`, [`${none}: (file): cannot be read: ENOENT`]);
  });

  test('fails if the fleet file is refused', () => {
    const r = status([fixture('hub-1-wave-running.yaml'), '--fleet', 'no-such-fleet.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dkp-fleet: could not plan no-such-fleet\.yaml \(1 problem\)\n {2}no-such-fleet\.yaml/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('the fleet file comes from --fleet, else $FLEET, else fleet.yaml', () => {
    expect(status([fixture('kommander-1-running.yaml')], { FLEET: KOMMANDER }).code).toBe(3);
    expect(status([fixture('kommander-1-running.yaml'), '--fleet', KOMMANDER], { FLEET: 'no-such-fleet.yaml' }).code).toBe(3);
  });
});

describe('usage', () => {
  test('fails if the command line is wrong: usage, exit 2', () => {
    for (const args of [[], [fixture('hub-1-wave-running.yaml'), 'extra.yaml'], [fixture('hub-1-wave-running.yaml'), '--yaml'], ['--fleet']]) {
      const r = status(args);
      expect([r.code, r.out]).toEqual([2, '']);
      expect(r.err).toMatch(/^dkp-fleet: .+\nusage: dkp-fleet status <kustomizations\.yaml> \[--fleet <file>\] \[--json\]\n/);
    }
  });

  test('--help prints the usage, with the kubectl command and the exit codes, and exits 0', () => {
    expect(status(['--help'])).toEqual({ code: 0, out: '', err: STATUS_USAGE });
    expect(STATUS_USAGE).toContain('kubectl get kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories.source.toolkit.fluxcd.io -A -o yaml');
    expect(STATUS_USAGE).toMatch(/exit codes:\n {2}0 .+\n {2}3 .+\n {2}1 .+\n {2}2 /);
  });

  test('the states the report uses are the README\'s', () => {
    const states: readonly LayerState[] = ['done', 'done-at-older-revision', 'running', 'failed', 'held', 'waiting', 'missing'];
    expect(Object.keys(json([fixture('hub-1-wave-running.yaml')]).counts).sort()).toEqual([...states].sort());
  });
});
