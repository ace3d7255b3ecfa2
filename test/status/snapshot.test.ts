// The reader of `kubectl get kustomizations...,gitrepositories... -A -o yaml`: what it takes and what
// it refuses, with the file, line and field of each problem.
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { FleetError } from '../../src/input/problems';
import { MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_VALUES } from '../../src/inventory/snapshot';
import { parseFluxSnapshot, SnapshotLimits, STATUS_COMMAND } from '../../src/status/snapshot';
import { problemsOf, ROOT } from '../helpers';

const FILE = 'ks.yaml';
const LIMITS: SnapshotLimits = { bytes: MAX_SNAPSHOT_BYTES, values: MAX_SNAPSHOT_VALUES };
const parse = (text: string, limits = LIMITS) => parseFluxSnapshot(text, FILE, limits);
const refused = (text: string, limits = LIMITS) => problemsOf(() => parse(text, limits));
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'status', name), 'utf8');

const KS = (name: string, extra = '') => `- apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata: {name: ${name}, namespace: flux-system, generation: 1}
  spec: {interval: 10m}
${extra}`;
const GIT = `- apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata: {name: fleet, namespace: flux-system}
  status: {artifact: {revision: "main@sha1:2222222222222222222222222222222222222222"}}
`;
const list = (...items: string[]) => `apiVersion: v1\nkind: List\nitems:\n${items.join('')}metadata: {resourceVersion: ""}\n`;

describe('reading a snapshot of Flux objects', () => {
  test('reads every Kustomization and source of a kubectl List, with the fields the status needs', () => {
    const snap = parse(fixture('hub-2-failed-cluster.yaml'));
    expect(snap.kustomizations).toHaveLength(22); // 20 layers, the bootstrap Kustomization, Flux's own
    expect(snap.sources.map((s) => `${s.kind} ${s.namespace}/${s.name} ${s.revision}`)).toEqual([
      'GitRepository flux-system/fleet main@sha1:9e2b4a7c1d3f5e8a0b6c2d4f7a9e1c3b5d7f0a2e',
      'GitRepository flux-system/flux-system main@sha1:0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796',
    ]);
    const failed = snap.kustomizations.find((k) => k.name === 'cluster-prod-east-core-addons')!;
    expect(failed).toMatchObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', namespace: 'flux-system', generation: 1, observedGeneration: -1, suspend: false,
      lastAttemptedRevision: 'main@sha1:9e2b4a7c1d3f5e8a0b6c2d4f7a9e1c3b5d7f0a2e',
      labels: expect.objectContaining({ 'app.kubernetes.io/instance': 'acme', 'dkp-fleet/wave': '1' }),
    });
    expect(failed.lastAppliedRevision).toBeUndefined();
    expect(failed.conditions.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual([
      'Reconciling=True ProgressingWithRetry', 'Ready=False HealthCheckFailed', 'Healthy=False HealthCheckFailed',
    ]);
    expect(fixture('hub-2-failed-cluster.yaml').split('\n')[failed.line! - 1]).toBe('- apiVersion: kustomize.toolkit.fluxcd.io/v1');
  });

  test('reads several YAML documents of objects or Lists (kubectl get ... for each namespace, joined)', () => {
    const snap = parse(`${list(KS('a'))}---\n${YAML.stringify(YAML.parse(list(GIT)).items[0])}---\n`);
    expect([snap.kustomizations.map((k) => k.name), snap.sources.map((s) => s.name)]).toEqual([['a'], ['fleet']]);
  });

  test('reads a List with no items: the report says whose objects are missing', () => {
    expect(parse('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n')).toEqual({ kustomizations: [], sources: [] });
  });

  test('fails if the text is not YAML, with the line', () => {
    expect(refused(list(KS('a', '  status: {conditions: [}\n')))).toEqual([
      'ks.yaml:8: (syntax): malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'ks.yaml:8: (syntax): malformed YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  test('fails if a mapping repeats a key', () => {
    expect(refused(list(KS('a', '  status: {}\n  status: {}\n')))).toEqual(['ks.yaml:9: (syntax): malformed YAML: Map keys must be unique']);
  });

  test('fails if the file is empty', () => {
    expect(refused('# nothing\n')).toEqual([
      `ks.yaml: (document): holds no Kubernetes objects; expected the output of \`${STATUS_COMMAND}\` (a List with items)`,
    ]);
  });

  test('fails if a document is not a List or an object', () => {
    expect(refused('- a\n- b\n')).toEqual([
      `ks.yaml:1: (document): expected a List of Flux Kustomizations and GitRepositories (what \`${STATUS_COMMAND}\` prints), got a list`,
    ]);
    expect(refused('apiVersion: v1\nkind: List\nitems: {a: 1}\n')).toEqual(['ks.yaml:3: items: expected the List\'s objects, got a mapping']);
    expect(refused('apiVersion: v1\nkind: List\nitems:\n- 42\n')).toEqual([
      'ks.yaml:4: items[0]: expected a Flux Kustomization or GitRepository (a mapping with apiVersion, kind and metadata), got a number (42)',
    ]);
  });

  test('fails if it is not a List of Kustomizations and GitRepositories: one problem per unrelated kind, at its first object', () => {
    const inventorySnapshot = list(
      '- apiVersion: cluster.x-k8s.io/v1beta1\n  kind: Cluster\n  metadata: {name: a, namespace: team-a}\n',
      '- apiVersion: cluster.x-k8s.io/v1beta1\n  kind: Cluster\n  metadata: {name: b, namespace: team-a}\n',
      '- apiVersion: kustomize.config.k8s.io/v1beta1\n  kind: Kustomization\n  resources: [a.yaml]\n',
      KS('a'),
    );
    expect(refused(inventorySnapshot)).toEqual([
      `ks.yaml:5: items[0]: a Cluster (cluster.x-k8s.io/v1beta1) is not a Flux Kustomization or source (nor are the 1 other of its kind); `
        + `expected the output of \`${STATUS_COMMAND}\``,
      'ks.yaml:11: items[2]: a Kustomization (kustomize.config.k8s.io/v1beta1) is not a Flux Kustomization or source; '
        + `expected the output of \`${STATUS_COMMAND}\``,
    ]);
  });

  test('fails if an object has no kind, apiVersion, name or namespace', () => {
    expect(refused(list('- apiVersion: kustomize.toolkit.fluxcd.io/v1\n  metadata: {name: a, namespace: x}\n'))).toEqual([
      'ks.yaml:4: items[0].kind: required field is missing: every object `kubectl get -o yaml` prints has apiVersion, kind and metadata.name',
    ]);
    expect(refused(list('- apiVersion: kustomize.toolkit.fluxcd.io/v1\n  kind: Kustomization\n  metadata: {name: a}\n'))).toEqual([
      'ks.yaml:6: items[0].metadata.namespace: required field is missing: a Kustomization is namespaced, and `kubectl get -A -o yaml` prints its namespace',
    ]);
    expect(refused(list('- apiVersion: source.toolkit.fluxcd.io/v1\n  kind: GitRepository\n  metadata: {namespace: x}\n'))).toEqual([
      'ks.yaml:6: items[0].metadata.name: required field is missing: every object `kubectl get -o yaml` prints has metadata.name',
    ]);
  });

  test('fails if a field the status reads has the wrong type, naming the field and its line', () => {
    const text = list(KS('a', '  status:\n    conditions: {type: Ready}\n    lastAppliedRevision: 42\n'),
      KS('b', '  status:\n    conditions:\n    - {type: Ready}\n'),
      KS('c').replace('spec: {interval: 10m}', 'spec: {suspend: "yes"}'),
      GIT.replace('revision: "main@sha1:2222222222222222222222222222222222222222"', 'revision: [x]'));
    expect(refused(text)).toEqual([
      'ks.yaml:9: items[0].status.conditions: expected a list of conditions, got a mapping',
      'ks.yaml:10: items[0].status.lastAppliedRevision: expected a source revision, got a number (42)',
      'ks.yaml:17: items[1].status.conditions[0].status: required field is missing: every condition has type and status (as Flux writes them)',
      'ks.yaml:21: items[2].spec.suspend: expected true or false, got a string ("yes")',
      'ks.yaml:25: items[3].status.artifact.revision: expected a source revision, got a list',
    ]);
  });

  test('fails if an object is listed twice (two snapshots joined)', () => {
    expect(refused(list(KS('a'), GIT, KS('a')))).toEqual([
      'ks.yaml:12: items[2]: Kustomization flux-system/a is listed twice (first at line 4); give one snapshot, as one run of the command prints it',
    ]);
  });
});

describe('hostile snapshots', () => {
  test('reads snapshots as large as the inventory\'s: up to 256 MiB and 20 million values', () => {
    expect([MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_VALUES]).toEqual([256 * 1024 * 1024, 20_000_000]);
  });

  test('fails if the snapshot is larger than the reader accepts, before parsing it', () => {
    const text = `# ${'x'.repeat(4096)}\n`;
    expect(refused(text, { bytes: 4096, values: MAX_SNAPSHOT_VALUES }))
      .toEqual([`ks.yaml: (file): is ${text.length} bytes; snapshots of at most 4096 bytes are accepted`]);
  });

  test('fails if the snapshot holds more YAML values than the reader accepts, before building them', () => {
    const start = Date.now();
    expect(refused(`items: [${'1,'.repeat(600000)}1]\n`, { bytes: MAX_SNAPSHOT_BYTES, values: 500000 })).toEqual([
      'ks.yaml: (document): holds more than 500000 YAML values; at most 500000 are accepted',
    ]);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('fails if collections nest deeper than the parser can recurse', () => {
    expect(refused(`items: ${'['.repeat(20000)}${']'.repeat(20000)}\n`)).toEqual([
      'ks.yaml: (document): nests collections too deeply to be read; a list of Flux objects needs a few levels only',
    ]);
  });

  test('fails if aliases expand without bound (a billion laughs)', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    const letter = (i: number) => String.fromCharCode(97 + i);
    for (let i = 1; i < 9; i++) laughs.push(`${letter(i)}: &${letter(i)} [${Array(10).fill(`*${letter(i - 1)}`).join(', ')}]`);
    const [p] = refused(`${laughs.join('\n')}\n`);
    expect(p).toMatch(/^ks\.yaml:1: \(document\): cannot be read: Excessive alias count indicates a resource exhaustion attack$/);
  });

  test('never fails with anything but a FleetError, whatever the input', () => {
    const kinds = fc.constantFrom('Kustomization', 'GitRepository', 'OCIRepository', 'Cluster');
    const groups = fc.constantFrom('kustomize.toolkit.fluxcd.io/v1', 'source.toolkit.fluxcd.io/v1', 'v1');
    fc.assert(fc.property(fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => YAML.stringify(v)),
      fc.array(fc.record({ apiVersion: groups, kind: kinds, metadata: fc.record({ name: fc.string(), namespace: fc.jsonValue(), labels: fc.jsonValue() }),
        spec: fc.jsonValue(), status: fc.oneof(fc.jsonValue(), fc.record({ conditions: fc.jsonValue(), artifact: fc.jsonValue() })) }))
        .map((items) => YAML.stringify({ apiVersion: 'v1', kind: 'List', items })),
    ), (text) => {
      try {
        parse(text);
      } catch (e) {
        if (!(e instanceof FleetError)) throw e;
      }
    }), { numRuns: 300 });
  });
});
