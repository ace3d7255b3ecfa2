import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { groupOf, Kind, kindsOf } from './harness/fake-apiserver';
import { celStatus, FluxStatus, kstatus } from './harness/flux-eval';
import { GateResult, runGate } from './harness/gate-run';
import { checksOf, FIXTURES, kustomizationOf, Mode, Output, synth, Variant } from './harness/variants';
import { healthCheckExprs } from '../../src/gates/cel';
import { CHECK_KINDS } from '../../src/gates/check-kinds';
import { gateScript } from '../../src/gates/gate-script';
import { CheckStrength, strengthOf } from '../../src/gates/health-gate';
import { Expectation, HealthCheck } from '../../src/planner/layer';

/**
 * Every gate against the status sequence its controller really goes through (test/fixtures/
 * timelines/*.yaml, each step citing the upstream code): the exact strings dkp-fleet wrote to
 * dist/ (CEL through @bufbuild/cel with Flux's evaluation order, Job scripts through sh and the real
 * kubectl against a fake API server) must say "not done" at every step before done, "done" at done,
 * and never "failed" where the controller has not failed.
 */

interface Step {
  readonly name: string;
  readonly expect: GateResult;
  /** false: a failure no status shows in time (the gates wait for the layer's timeout). @default true */
  readonly detectable?: boolean;
  readonly objects: readonly Record<string, any>[];
}

interface Timeline {
  readonly kind: string;
  readonly apiVersion: string;
  readonly steps: readonly Step[];
}

function load(file: string, vars: Readonly<Record<string, string>>): Timeline {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8').replace(/\$\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
  const t = YAML.parse(text) as Timeline;
  return { ...t, steps: t.steps.map((s) => ({ ...s, objects: s.objects ?? [] })) };
}

type Identity = { apiVersion: string; kind: string; namespace?: string; name: string };
const identity = (o: Identity) => `${groupOf(o.apiVersion)}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
const objectIdentity = (o: Record<string, any>) =>
  identity({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name });

/** Values the fixtures leave to the output: the chart, backup, hash, image... dkp-fleet chose. */
function varsOf(out: Output): Record<string, string> {
  const checks = checksOf(out).map((c) => c.check);
  const find = <T extends Expectation['type']>(type: T, pred: (c: HealthCheck & { expect: Extract<Expectation, { type: T }> }) => boolean = () => true) =>
    checks.find((c): c is HealthCheck & { expect: Extract<Expectation, { type: T }> } => c.expect.type === type && pred(c as never));
  const vars: Record<string, string> = {};
  const traefik = find('helm-release', (c) => c.name === 'traefik' && c.namespace === 'kommander');
  if (traefik?.expect.chartVersion) vars.chart = traefik.expect.chartVersion.replace(/^v/, '');
  const backup = find('backup-completed');
  if (backup) vars.backup = backup.name;
  const binding = find('resource-set-binding', (c) => c.name === 'prod-east');
  if (binding) vars.hash = binding.expect.sets[0].hash;
  const app = checks.find((c) => c.kind === 'ClusterApp' && c.name.startsWith('traefik-'));
  if (app) vars.clusterapp = app.name;
  const premiseOf = find('premise', (c) => c.namespace === 'default' && c.name.startsWith('prod-east'));
  if (premiseOf) {
    vars.from = premiseOf.expect.versions[0];
    vars.to = premiseOf.expect.versions[premiseOf.expect.versions.length - 1];
  }
  const premise = find('provider-installed', (c) => c.name === 'azure');
  if (premise) {
    vars.current = premise.expect.versions[0];
    vars.target = premise.expect.versions[premise.expect.versions.length - 1];
  }
  return vars;
}

/** The image the rollout check of a workload expects (a fixture's `${image}`). */
function imageOf(out: Output, kind: string, name: string): string | undefined {
  const c = checksOf(out).map((x) => x.check).find((x) => x.kind === kind && x.name === name && x.expect.type === 'rollout');
  return c?.expect.type === 'rollout' ? c.expect.containers[0].image : undefined;
}

interface Subject {
  readonly layer: string;
  readonly check: HealthCheck;
  readonly strength: CheckStrength;
}

/** The checks of the output that a timeline's objects are the subject of (all in one layer). */
function subjectsOf(out: Output, t: Timeline, types?: readonly Expectation['type'][]): Subject[] {
  const ids = new Set(t.steps.flatMap((s) => s.objects.map(objectIdentity)));
  const found = checksOf(out).filter((c) => ids.has(identity(c.check)) && (types === undefined || types.includes(c.check.expect.type)));
  return found.map(({ layer, check }) => {
    const job = out.result.gates.jobGates.get(layer);
    return { layer, check, strength: strengthOf(check, out.result.gates.profile, new Set(job?.checks ?? [])) };
  });
}

/** The Job script of a layer as written to dist/, reading only these subjects' checks. */
function scriptFor(out: Output, layer: string, subjects: readonly Subject[]): string {
  const job = out.folders.get(layer)!.find((o) => o.kind === 'Job')!;
  const script: string = job.spec.template.spec.containers[0].command[2];
  const wanted = new Set(subjects.map((s) => `'${s.check.kind} ${s.check.namespace ? `${s.check.namespace}/` : ''}${s.check.name}'`));
  const ids = [...script.matchAll(/^what_(\d+)=('[^']*');/gm)].filter((m) => wanted.has(m[2])).map((m) => m[1]);
  expect(ids).toHaveLength(wanted.size);
  const pending = /^pending='[\d ]*'$/m;
  expect(script).toMatch(pending);
  return script.replace(pending, `pending='${ids.join(' ')}'`);
}

/** The CEL expression written for a check's group and kind in its layer's Kustomization. */
function exprFor(out: Output, s: Subject): { current: string; failed?: string } {
  const k = kustomizationOf(out, s.layer);
  const e = (k.spec.healthCheckExprs ?? []).find((x: any) => groupOf(x.apiVersion) === groupOf(s.check.apiVersion) && x.kind === s.check.kind);
  expect(e).toBeDefined();
  return e;
}

const verdictOf = (statuses: readonly FluxStatus[]): GateResult =>
  (statuses.includes('Failed') ? 'failed' : statuses.every((x) => x === 'Current') ? 'done' : 'not-done');

/** What the layer's gate says at one step: its Job, and Flux's CEL or kstatus for the other subjects. */
async function judge(out: Output, subjects: readonly Subject[], step: Step, kinds: readonly Kind[]): Promise<{ verdict: GateResult; output: string }> {
  const byId = new Map(step.objects.map((o) => [objectIdentity(o), o]));
  const statuses: FluxStatus[] = [];
  let output = '';
  const jobbed = subjects.filter((s) => s.strength === 'job');
  if (jobbed.length > 0) {
    const r = await runGate(scriptFor(out, jobbed[0].layer, jobbed), kinds, step.objects);
    output = r.output;
    statuses.push(r.result === 'done' ? 'Current' : r.result === 'failed' ? 'Failed' : 'InProgress');
  }
  for (const s of subjects.filter((x) => x.strength === 'cel')) statuses.push(celStatus(exprFor(out, s), byId.get(identity(s.check))));
  for (const s of subjects.filter((x) => x.strength === 'kstatus')) statuses.push(kstatus(byId.get(identity(s.check))));
  return { verdict: verdictOf(statuses), output };
}

interface Case {
  readonly file: string;
  readonly variants: readonly Variant[];
  readonly modes?: readonly Mode[];
  /** The workload whose image is the fixture's `${image}`. */
  readonly image?: { readonly kind: string; readonly name: string };
  /** The checks it is about, where its objects are checked by several layers. @default - every check of its objects */
  readonly types?: readonly Expectation['type'][];
}

const CASES: readonly Case[] = [
  { file: 'kcp-v1beta1.yaml', variants: ['classic'], types: ['control-plane'] },
  { file: 'kcp-v1alpha4.yaml', variants: ['classic'], types: ['control-plane'] },
  { file: 'machinedeployment-v1beta1.yaml', variants: ['classic'], types: ['machine-deployment'] },
  { file: 'machinedeployment-v1alpha4.yaml', variants: ['classic'], types: ['machine-deployment'] },
  { file: 'topology-cluster-v1beta1.yaml', variants: ['topology'], types: ['topology', 'control-plane', 'machine-deployment'] },
  { file: 'premise-kubeadmcontrolplane.yaml', variants: ['classic'], types: ['premise'] },
  { file: 'premise-machinedeployment.yaml', variants: ['classic'], types: ['premise'] },
  { file: 'premise-topology-cluster.yaml', variants: ['topology'], types: ['premise'] },
  { file: 'deployment-rollout.yaml', variants: ['classic', 'operator'] },
  { file: 'provider-v1alpha2.yaml', variants: ['operator'], types: ['provider', 'rollout'] },
  { file: 'provider-v1alpha2-azure.yaml', variants: ['operator'], modes: ['kommander'], types: ['provider', 'rollout'] },
  { file: 'provider-installed.yaml', variants: ['operator'], types: ['provider-installed'] },
  { file: 'helmrelease-v2beta1.yaml', variants: ['classic'] },
  { file: 'helmrelease-v2beta1-install.yaml', variants: ['classic'] },
  { file: 'helmrelease-v2beta2.yaml', variants: ['classic'] },
  { file: 'helmrelease-v2.yaml', variants: ['classic'] },
  { file: 'helmchartproxy.yaml', variants: ['hcp'] },
  { file: 'clusterresourceset-applyalways.yaml', variants: ['classic'] },
  { file: 'daemonset-rollout.yaml', variants: ['classic'], image: { kind: 'DaemonSet', name: 'csi-azuredisk-node' } },
  { file: 'statefulset-rollout.yaml', variants: ['classic'], image: { kind: 'StatefulSet', name: 'example-statefulset' } },
  { file: 'velero-backup.yaml', variants: ['classic'] },
  { file: 'clusterapp-presence.yaml', variants: ['classic'] },
];

/** Check kinds proven exact on a timeline, per Flux mode. */
const covered = new Map<Mode, Set<string>>([['hub', new Set()], ['kommander', new Set()]]);

describe.each(['hub', 'kommander'] as const)('status timelines, %s mode', (mode) => {
  const cases = CASES.filter((c) => c.modes === undefined || c.modes.includes(mode))
    .flatMap((c) => c.variants.map((variant) => [`${c.file} (${variant})`, c, variant] as const));
  test.each(cases)('%s: the gate dkp-fleet wrote is done exactly when the controller is', async (_name, c, variant) => {
    const out = synth(mode, variant);
    const vars = varsOf(out);
    if (c.image) vars.image = imageOf(out, c.image.kind, c.image.name)!;
    const t = load(c.file, vars);
    const all = subjectsOf(out, t, c.types);
    expect(all.length).toBeGreaterThan(0);
    // what PLAN.md calls exact is exact: every subject proven by CEL, a Job or kstatus where that is all it expects
    expect(all.filter((s) => s.strength === 'ready-only').map((s) => `${s.check.kind} ${s.check.name}`)).toEqual([]);
    const kinds = kindsOf(t.steps.flatMap((s) => s.objects));
    // each layer that checks these objects (an addon's workloads: on the management cluster and on a managed one)
    for (const layer of new Set(all.map((s) => s.layer))) {
      const subjects = all.filter((s) => s.layer === layer);
      const detects = subjects.every((s) => CHECK_KINDS[s.check.expect.type].detectsFailure);
      const seen: string[] = [];
      const expected: string[] = [];
      for (const step of t.steps) {
        const { verdict, output } = await judge(out, subjects, step, kinds);
        // a check that cannot see terminal failures waits instead (the layer's timeout ends it); never done, never a false failure
        const want = step.expect === 'failed' && (!detects || step.detectable === false) ? 'not-done' : step.expect;
        seen.push(`${layer}: ${step.name}: ${verdict}${verdict !== want && output ? `\n${output}` : ''}`);
        expected.push(`${layer}: ${step.name}: ${want}`);
      }
      expect(seen).toEqual(expected);
    }
    for (const s of all) covered.get(mode)!.add(s.check.expect.type);
  });
});

describe('the timeline suite', () => {
  test('proves every kind of check that is more than kstatus, in both Flux modes', () => {
    const kinds = Object.entries(CHECK_KINDS).filter(([, k]) => !k.kstatus).map(([type]) => type).sort();
    expect([...covered.get('hub')!].filter((t) => kinds.includes(t)).sort()).toEqual(kinds);
    expect([...covered.get('kommander')!].filter((t) => kinds.includes(t)).sort()).toEqual(kinds);
  });
});

describe('what a waiting gate says', () => {
  test('a ClusterResourceSet not applied names its ResourcesApplied reason (a cluster that cannot be reached, not a slow apply)', async () => {
    const t = load('clusterresourceset-applyalways.yaml', { hash: 'sha256:0' });
    const step = t.steps.find((s) => s.name.includes('RemoteClusterClientFailed'))!;
    const set: HealthCheck = {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', name: 'node-tuning-prod-east', namespace: 'default', applied: true,
      expect: { type: 'resource-set' },
    };
    const r = await runGate(gateScript([set]), kindsOf(step.objects), step.objects);
    expect([r.result, r.output]).toEqual(['not-done', expect.stringContaining('waiting: ResourcesApplied is False RemoteClusterClientFailed')]);
  });
});

describe('the topology gate', () => {
  test('judges the MachineDeployments of the topology only: a pool beside it (no topology label) neither counts nor holds it back', async () => {
    const t = load('topology-cluster-v1beta1.yaml', {});
    const done = t.steps.find((s) => s.expect === 'done')!;
    const beside = structuredClone(done.objects.find((o) => o.kind === 'MachineDeployment')!);
    beside.metadata.name = 'prod-east-gpu';
    for (const label of ['topology.cluster.x-k8s.io/deployment-name', 'topology.cluster.x-k8s.io/owned']) delete beside.metadata.labels[label];
    beside.spec.template.spec.version = 'v1.21.6';
    const cluster: HealthCheck = {
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', name: 'prod-east', namespace: 'default', applied: true,
      expect: { type: 'topology', version: 'v1.22.8' },
    };
    const objects = [...done.objects, beside];
    const r = await runGate(gateScript([cluster]), kindsOf(objects), objects);
    expect([r.result, r.output]).toEqual(['done', expect.anything()]);
  });
});

describe('ClusterResourceSets of ApplyOnce releases (DKP 2.1 targets)', () => {
  // No built-in target release with Konvoy facts uses ApplyOnce, so the check is built as the planner builds it.
  const hash = 'sha256:6d0c5b11c5df1d78558fd50c78d0587205511d2d5be4595d60bbf7ee900276a9';
  const binding: HealthCheck = {
    apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSetBinding', name: 'prod-east', namespace: 'default', applied: false,
    expect: {
      type: 'resource-set-binding', strategy: 'ApplyOnce',
      sets: [{ clusterResourceSet: 'node-tuning-prod-east', configMap: 'node-tuning-prod-east', hash }],
    },
  };
  const t = load('clusterresourceset-applyonce.yaml', { hash });

  test('fails if an applied entry holds other content: ApplyOnce never applies it again (CEL)', () => {
    const [e] = healthCheckExprs([binding]);
    for (const step of t.steps) {
      const object = step.objects.find((o) => o.kind === 'ClusterResourceSetBinding');
      expect([step.name, celStatus(e, object)]).toEqual([step.name, 'Failed']);
    }
  });

  test('fails if an applied entry holds other content: ApplyOnce never applies it again (Job)', async () => {
    const kinds = kindsOf(t.steps.flatMap((s) => s.objects));
    for (const step of t.steps) {
      const r = await runGate(gateScript([binding]), kinds, step.objects);
      expect([step.name, r.result, r.output]).toEqual([step.name, 'failed', expect.stringContaining('ApplyOnce never applies again')]);
    }
  });
});

describe('the operator premise where the current release does not record a provider\'s version', () => {
  // The catalog has no current version to expect: any version the operator installed proves it manages the provider.
  const premise: HealthCheck = {
    apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'InfrastructureProvider', name: 'azure', namespace: 'capz-system', applied: false,
    expect: { type: 'provider-installed', versions: [] },
  };
  const t = load('provider-installed-any.yaml', {});

  test('CEL: done exactly when the operator installed it', () => {
    const [e] = healthCheckExprs([premise]);
    expect(t.steps.map((s) => `${s.name}: ${celStatus(e, s.objects[0])}`))
      .toEqual(t.steps.map((s) => `${s.name}: ${s.expect === 'done' ? 'Current' : s.objects.length === 0 ? 'NotFound' : 'InProgress'}`));
  });

  test('Job: done exactly when the operator installed it', async () => {
    const kinds = kindsOf(t.steps.flatMap((s) => s.objects));
    const seen: string[] = [];
    for (const step of t.steps) seen.push(`${step.name}: ${(await runGate(gateScript([premise]), kinds, step.objects)).result}`);
    expect(seen).toEqual(t.steps.map((s) => `${s.name}: ${s.expect}`));
  });
});

describe('checks CEL cannot make exact, without a gate image', () => {
  test.each([
    ['topology', 'topology-cluster-v1beta1.yaml', 'Cluster', 'topology'],
    ['hcp', 'helmchartproxy.yaml', 'HelmChartProxy', 'helm-chart-proxy'],
  ] as const)('%s: marked ready-only in PLAN.md, because its CEL passes before the upgrade finished', (variant, file, kind, type) => {
    const out = synth('hub', variant, null);
    const t = load(file, varsOf(out));
    const subjects = subjectsOf(out, t, [type]).filter((s) => s.check.kind === kind);
    expect(subjects.map((s) => s.strength)).toEqual(['ready-only']);
    const layer = out.result.document.layers.find((l) => l.name === subjects[0].layer)!;
    expect(layer.readyOnly).toBe(true);
    expect(layer.checks.find((c) => c.object.startsWith(kind))!.strength).toBe('ready-only');
    // the proof that CEL alone is not enough: some step before done is Current
    const e = kustomizationOf(out, subjects[0].layer).spec.healthCheckExprs.find((x: any) => x.kind === kind);
    const premature = t.steps.filter((s) => s.expect !== 'done' && celStatus(e, s.objects.find((o) => o.kind === kind)) === 'Current');
    expect(premature.length).toBeGreaterThan(0);
  });
});

describe('premises without CEL or a gate image', () => {
  test('are marked "premise not checked" in PLAN.md, never "exact"', () => {
    const out = synth('kommander', 'classic', null);
    const premiseLayers = out.result.document.layers.filter((l) => l.checks.some((c) => c.premise));
    expect(premiseLayers.map((l) => l.name)).toEqual(['mgmt-preflight', 'cluster-prod-east-preflight']);
    for (const l of premiseLayers) {
      expect(l.checks.filter((c) => c.premise).map((c) => c.strength)).toEqual(l.checks.filter((c) => c.premise).map(() => 'ready-only'));
    }
    const md = out.result.files.find((f) => f.path === 'PLAN.md')!.content;
    expect(md).toContain('Premise not checked for mgmt, prod-east');
    expect(md).toMatch(/KubeadmControlPlane default\/prod-east-control-plane at v1\.21\.6 or v\d+\.\d+\.\d+, as the plan assumes .* — \*\*premise not checked\*\*/);
  });

  test('the Job gate names the object, the version found and the versions expected', async () => {
    const out = synth('kommander', 'classic');
    const t = load('premise-kubeadmcontrolplane.yaml', varsOf(out));
    const subjects = subjectsOf(out, t, ['premise']);
    expect(subjects.map((s) => s.strength)).toEqual(['job']);
    const step = t.steps.find((s) => s.name.startsWith('failed: upgraded by hand'))!;
    const r = await runGate(scriptFor(out, subjects[0].layer, subjects), kindsOf(step.objects), step.objects);
    const e = subjects[0].check.expect;
    const [from, to] = e.type === 'premise' ? e.versions : [];
    expect(r.result).toBe('failed');
    expect(r.output).toContain(`KubeadmControlPlane default/prod-east-control-plane: failed: spec.version is v1.23.9, the plan expects ${from} or ${to}`);
  });
});

describe('the premises of node pools and ClusterClass clusters, by CEL and by Job', () => {
  // The timeline fleets check these premises by CEL only; a Flux without CEL runs them in a Job gate, built as the planner builds them.
  const from = 'v1.21.6';
  const to = 'v1.22.8';
  const cases: readonly [file: string, check: HealthCheck][] = [
    ['premise-machinedeployment.yaml', {
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeployment', name: 'prod-east-md-0', namespace: 'default', applied: false,
      expect: { type: 'premise', versions: [from, to] },
    }],
    ['premise-topology-cluster.yaml', {
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', name: 'prod-east', namespace: 'default', applied: false,
      expect: { type: 'premise', versions: [from, to] },
    }],
  ];
  const celOf = (s: Step) => (s.expect === 'done' ? 'Current' : s.expect === 'failed' ? 'Failed' : s.objects.length === 0 ? 'NotFound' : 'InProgress');

  test.each(cases)('%s: the CEL is done, failed or waiting exactly as the controller is', (file, check) => {
    const t = load(file, { from, to, poolFrom: from });
    const [e] = healthCheckExprs([check]);
    expect(t.steps.map((s) => `${s.name}: ${celStatus(e, s.objects[0])}`)).toEqual(t.steps.map((s) => `${s.name}: ${celOf(s)}`));
  });

  test.each(cases)('%s: the Job is done, failed or waiting exactly as the controller is, and says why it failed', async (file, check) => {
    const t = load(file, { from, to, poolFrom: from });
    const kinds = kindsOf(t.steps.flatMap((s) => s.objects));
    const field = check.kind === 'Cluster' ? 'spec.topology.version' : 'spec.template.spec.version';
    for (const step of t.steps) {
      const r = await runGate(gateScript([check]), kinds, step.objects);
      expect([step.name, r.result]).toEqual([step.name, step.expect]);
      if (step.expect === 'failed') expect(r.output).toMatch(new RegExp(`${field} is (v\\S+|unset), the plan expects ${from} or ${to}`));
    }
  });
});
