import { managedClusters, workspaceClusters } from '../fleet/fleet';
import { GatePlan } from '../gates/gate-plan';
import { chartVersionUnknown, HealthGate, kstatusProves } from '../gates/health-gate';
import { DependencyGraph } from '../planner/graph';
import { HealthCheck, Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/** How strongly a check proves what it expects. */
export type CheckStrength =
  /** CEL or a Job gate checks the exact condition. */
  | 'exact'
  /** kstatus is all the check needs (existence, readiness). */
  | 'kstatus'
  /** Only readiness is checked where an exact condition was wanted: "ready-only, not version-checked". */
  | 'ready-only';

export interface PlanCheck {
  readonly object: string;
  readonly expects: string;
  readonly strength: CheckStrength;
  /** The layer applies the object (else it only watches it). */
  readonly applied: boolean;
}

export interface PlanLayer {
  /** 1-based position in the order Flux runs the layers. */
  readonly index: number;
  /** Longest chain of dependencies before it: layers of one stage can run side by side. */
  readonly stage: number;
  readonly name: string;
  readonly kind: string;
  readonly workspace?: string;
  readonly cluster?: string;
  readonly wave?: number;
  readonly summary: string;
  readonly dependsOn: readonly string[];
  readonly changes: readonly { readonly subject: string; readonly from?: string; readonly to: string; readonly note?: string }[];
  readonly checks: readonly PlanCheck[];
  /** How the layer proves it finished. */
  readonly gate: 'cel' | 'job' | 'kstatus';
  /** True when some check is ready-only. */
  readonly readyOnly: boolean;
}

/** The plan of a fleet upgrade, as data: what PLAN.md and `npm run plan --json` show. */
export interface PlanDocument {
  readonly fleet: string;
  readonly from?: string;
  readonly to: string;
  readonly flux: { readonly mode: string; readonly runner: string; readonly kustomizationApiVersion: string; readonly namespace: string };
  readonly counts: {
    readonly layers: number; readonly workspaces: number; readonly managedClusters: number; readonly attachedClusters: number; readonly waves: number;
  };
  /** What must be done by hand before merging the pull request. */
  readonly beforeMerge: readonly string[];
  readonly layers: readonly PlanLayer[];
  /** Facts to weigh: inferred facts in use, ready-only gates, removals. */
  readonly notes: readonly string[];
}

function describeExpectation(c: HealthCheck): string {
  const e = c.expect;
  switch (e.type) {
    case 'ready': return c.kind === 'Job' ? 'completes' : 'Ready';
    case 'exists': return 'exists';
    case 'helm-release': return e.chartVersion ? `Ready at chart ${e.chartVersion}` : 'Ready (chart version unknown)';
    case 'backup-completed': return 'phase Completed';
    case 'control-plane': return `at ${e.version}, every replica updated and ready`;
    case 'machine-deployment': return `rolled out at ${e.version}: every replica updated and ready`;
    case 'topology': return `topology reconciled at ${e.version}`;
    case 'provider': return `installed at ${e.version} and Ready`;
    case 'helm-chart-proxy': return 'Ready, matching exactly one cluster';
    case 'resource-set': return 'resources applied';
  }
  return 'Ready';
}

function strength(c: HealthCheck, gate: HealthGate, jobChecks: ReadonlySet<HealthCheck>): CheckStrength {
  if (gate.readyOnly.includes(c)) return 'ready-only';
  if (kstatusProves(c) && !jobChecks.has(c)) return 'kstatus';
  return 'exact';
}

/** Longest dependency chain before each layer (layers come in topological order). */
function stages(layers: readonly Layer[]): Map<string, number> {
  const stage = new Map<string, number>();
  for (const l of layers) {
    stage.set(l.name, l.dependsOn.reduce((s, d) => Math.max(s, stage.get(d)! + 1), 0));
  }
  return stage;
}

/** The steps no manifest can do, in the order to do them. */
function beforeMerge(plan: Plan, gates: GatePlan): string[] {
  const f = plan.fleet;
  const steps: string[] = [];
  const backup = f.preflight.veleroBackup;
  if (backup) {
    steps.push(`Create the Velero backup ${backup.namespace}/${backup.name} (\`velero backup create ${backup.name} -n ${backup.namespace}\`); `
      + 'mgmt-preflight waits until it completed.');
  } else {
    steps.push('DKP requires a Velero backup before an upgrade; name it in spec.preflight.veleroBackup to have mgmt-preflight wait for it.');
  }
  steps.push(`Push DKP ${plan.release.version}'s application definitions (kommander-applications ${plan.release.kommander.applicationsRef}) into Kommander's `
    + 'Git repository, as `dkp upgrade kommander` does (README, "The step no manifest can do"); mgmt-preflight waits for the new ClusterApps.');
  steps.push(...plan.manualSteps);
  const providers = plan.layers.find((l) => l.kind === 'capi-providers')?.content.providers ?? [];
  const cms = providers.filter((p) => 'configMapLabel' in p.fetch);
  if (cms.length > 0) {
    steps.push(`Create the provider components ConfigMaps from your DKP bundle: ${cms.map((p) => `${p.namespace}/${p.version} `
      + `(label provider-components=${(p.fetch as { configMapLabel: string }).configMapLabel})`).join(', ')}.`);
  }
  if (providers.length > 0) {
    const hcp = plan.layers.some((l) => l.content.helmChartProxies.length > 0);
    steps.push(`Make sure cluster-api-operator${hcp ? ' and Cluster API Addon Provider Helm run' : ' runs'} on ${f.management.name} `
      + '(README, "The Konvoy layers").');
  }
  if (f.flux.mode === 'hub') {
    const secrets = [f.flux.managementKubeConfigSecret, ...workspaceClusters(f).map((c) => c.kubeconfigSecret)];
    steps.push(`On the hub, in namespace ${f.flux.namespace}: the kubeconfig Secrets ${[...new Set(secrets)].join(', ')} (key value), `
      + `the ${f.flux.sourceRef.kind} ${f.flux.sourceRef.name}, and a bootstrap Kustomization with path ${f.flux.path}/fleet.`);
  } else {
    steps.push(`In namespace ${f.flux.namespace} on ${f.management.name}: the ${f.flux.sourceRef.kind} ${f.flux.sourceRef.name} and a bootstrap Kustomization `
      + `(${gates.profile.kustomizationApiVersion}) with path ${f.flux.path}/fleet.`);
  }
  return steps;
}

/** Builds the plan document of a synthesized fleet. */
export function planDocument(plan: Plan, gates: GatePlan): PlanDocument {
  const stage = stages(plan.layers);
  const f = plan.fleet;
  const layers: PlanLayer[] = plan.layers.map((l, i) => {
    const gate = gates.healthGates.get(l.name)!;
    const job = gates.jobGates.get(l.name);
    const jobChecks = new Set(job?.checks ?? []);
    const checks: PlanCheck[] = [
      ...l.checks.map((c) => ({
        object: `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`,
        expects: describeExpectation(c),
        strength: strength(c, gate, jobChecks),
        applied: c.applied,
      })),
      ...(job
        ? [{
          object: `Job ${job.namespace}/${job.jobName}`, expects: 'completes (checks the exact conditions above)', strength: 'kstatus' as const, applied: true,
        }]
        : []),
    ];
    const s = l.scope;
    return {
      index: i + 1,
      stage: stage.get(l.name)!,
      name: l.name,
      kind: l.kind,
      ...(s.type === 'workspace' || s.type === 'cluster' ? { workspace: s.workspace } : {}),
      ...(s.type === 'cluster' ? { cluster: s.cluster } : {}),
      ...((s.type === 'cluster' || s.type === 'wave') && s.wave !== undefined ? { wave: s.wave } : {}),
      summary: l.summary,
      dependsOn: l.dependsOn,
      changes: l.changes.map((c) => ({ subject: c.subject, ...(c.from !== undefined ? { from: c.from } : {}), to: c.to, ...(c.note ? { note: c.note } : {}) })),
      checks,
      gate: job ? 'job' : gate.healthCheckExprs ? 'cel' : 'kstatus',
      readyOnly: gate.readyOnly.length > 0,
    };
  });
  const notes: string[] = [...plan.notes];
  const readyOnly = layers.filter((l) => l.readyOnly);
  if (readyOnly.length > 0) {
    const unknownCharts = plan.layers.flatMap((l) => gates.healthGates.get(l.name)!.readyOnly)
      .filter(chartVersionUnknown);
    const reasons = [
      ...(!gates.profile.healthCheckExprs && !f.flux.gateImage
        ? [`${gates.profile.description} has no CEL health checks and spec.flux.gateImage is not set`]
        : []),
      ...(unknownCharts.length > 0
        ? [`the chart version of ${[...new Set(unknownCharts.map((c) => `${c.namespace}/${c.name}`))].join(', ')} is not known (custom apps)`]
        : []),
    ];
    notes.push(`${readyOnly.length} layer${readyOnly.length === 1 ? '' : 's'} ${readyOnly.length === 1 ? 'is' : 'are'} ready-only for some checks, `
      + 'not version-checked '
      + `(${reasons.join('; ')}): those checks can pass before the new versions run. Marked "ready-only" below.`);
  }
  const managed = managedClusters(f);
  return {
    fleet: f.name,
    ...(plan.currentRelease ? { from: plan.currentRelease.version } : {}),
    to: plan.release.version,
    flux: { mode: f.flux.mode, runner: gates.profile.description, kustomizationApiVersion: gates.profile.kustomizationApiVersion, namespace: f.flux.namespace },
    counts: {
      layers: layers.length,
      workspaces: f.workspaces.length,
      managedClusters: managed.length,
      attachedClusters: workspaceClusters(f).length - managed.length,
      waves: new Set(managed.map((c) => c.wave)).size,
    },
    beforeMerge: beforeMerge(plan, gates),
    layers,
    notes,
  };
}

/** Rebuilds a graph from plan layers (for tests and the Mermaid rendering). */
export function graphOf(layers: readonly { name: string; dependsOn: readonly string[] }[]): DependencyGraph {
  const g = new DependencyGraph();
  for (const l of layers) g.addNode(l.name);
  for (const l of layers) for (const d of l.dependsOn) g.addEdge(l.name, d);
  return g;
}
