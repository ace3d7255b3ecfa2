import { beforeMerge } from './before-merge';
import { gateNotes } from './gate-notes';
import { rolloutNotes } from './rollout-notes';
import { managedClusters, workspaceClusters } from '../fleet/fleet';
import { describeCheck } from '../gates/check-kinds';
import { GatePlan } from '../gates/gate-plan';
import { strengthOf } from '../gates/health-gate';
import { DependencyGraph } from '../planner/graph';
import { Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';
import { accessSummary } from '../rbac/access-summary';

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
  /** The check proves the plan's premise (the versions the fleet file says a cluster runs). */
  readonly premise: boolean;
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
  readonly flux: {
    readonly mode: string; readonly runner: string; readonly kustomizationApiVersion: string; readonly namespace: string;
    /** The Kustomization outside dist/ that applies dist/fleet: the first layer waits for it. */
    readonly bootstrap: string;
  };
  readonly counts: {
    readonly layers: number; readonly workspaces: number; readonly managedClusters: number; readonly attachedClusters: number; readonly waves: number;
  };
  /** What must be done by hand before merging the pull request. */
  readonly beforeMerge: readonly string[];
  readonly layers: readonly PlanLayer[];
  /** Facts to weigh: inferred facts in use, ready-only gates, removals. */
  readonly notes: readonly string[];
  /** Holds, soaks and failure budgets (spec.rollout), in words. */
  readonly rollout: readonly string[];
  /** PLAN.md's "Access" section: who may do what (dist/rbac/), as Markdown lines. */
  readonly access: readonly string[];
}

/** Longest dependency chain before each layer (layers come in topological order). */
function stages(layers: readonly Layer[]): Map<string, number> {
  const stage = new Map<string, number>();
  for (const l of layers) {
    stage.set(l.name, l.dependsOn.reduce((s, d) => Math.max(s, stage.get(d)! + 1), 0));
  }
  return stage;
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
      ...l.checks.map((c) => {
        const strength = strengthOf(c, gates.profile, jobChecks);
        return {
          object: `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`,
          expects: describeCheck(c),
          strength: strength === 'cel' || strength === 'job' ? 'exact' as const : strength,
          applied: c.applied,
          premise: c.expect.type === 'premise',
        };
      }),
      ...(job
        ? [{
          object: `Job ${job.namespace}/${job.jobName}`, expects: 'completes (checks the exact conditions above)', strength: 'kstatus' as const,
          applied: true, premise: false,
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
  const notes: string[] = [...plan.notes, ...gateNotes(plan, gates)];
  const managed = managedClusters(f);
  return {
    fleet: f.name,
    ...(plan.currentRelease ? { from: plan.currentRelease.version } : {}),
    to: plan.release.version,
    flux: {
      mode: f.flux.mode, runner: gates.profile.description, kustomizationApiVersion: gates.profile.kustomizationApiVersion, namespace: f.flux.namespace,
      bootstrap: `${f.flux.bootstrap.namespace}/${f.flux.bootstrap.name}`,
    },
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
    rollout: rolloutNotes(plan, gates, 'the fleet file'),
    access: accessSummary(plan, gates),
  };
}

/** Rebuilds a graph from plan layers (for tests and the Mermaid rendering). */
export function graphOf(layers: readonly { name: string; dependsOn: readonly string[] }[]): DependencyGraph {
  const g = new DependencyGraph();
  for (const l of layers) g.addNode(l.name);
  for (const l of layers) for (const d of l.dependsOn) g.addEdge(l.name, d);
  return g;
}
