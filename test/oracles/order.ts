import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/**
 * An ordering oracle written from DESIGN §1-§2 and the README ("The layers", "Rollout controls"),
 * independent of src/: it reads the fleet file itself (with the defaults DESIGN §4 documents) and the
 * Kustomizations as Flux reads them from dist/fleet/, and checks the order Flux will follow. It shares
 * no code with src/planner (no invariants.ts, no graph.ts, no layer kinds): a bug there cannot hide
 * from it. Rules (each violation names its rule):
 *
 * - structure: exactly the layers the fleet asks for; every `dependsOn` names an existing
 *   Kustomization (its namespace defaults to the dependent's, as Flux resolves it); sorted by name;
 *   direct predecessors only; no cycle; `mgmt-preflight` is the only root and depends on the
 *   bootstrap Kustomization only;
 * - apps: Kommander after the preflight, the management cluster's platform then catalog apps, each
 *   workspace's platform apps after the management cluster's, each cluster's platform check after its
 *   workspace's platform apps, the workspace's catalog apps after every per-cluster platform check of
 *   the workspace, each cluster's catalog check after them, the workspace barrier after all of them;
 * - Konvoy: the providers after every app layer, then the management cluster's core addons, control
 *   plane, node pools; a managed cluster's preflight right after mgmt-preflight (it only reads, and runs
 *   even when the cluster is held); its core addons after that preflight; control plane after core
 *   addons (and the addon workload check), node pools after the control plane;
 * - management before managed: every Konvoy layer of a managed cluster after every management layer;
 * - apps before Kubernetes: every control-plane, node-pool or ClusterClass layer after every app layer;
 * - waves: every Konvoy layer of a wave-N cluster after every Konvoy layer of every cluster of each
 *   earlier wave, unless that wave has a failure budget, whose barrier it follows instead; after the
 *   soak of each earlier wave that has one; a wave barrier after its clusters, a soak after its barrier;
 * - holds: exactly the first Konvoy layer of each held cluster (of every cluster of a held wave, and
 *   the held wave's budget barrier) is suspended.
 */

/** A Flux Kustomization of dist/fleet, as Flux reads it. */
export interface FluxKustomization {
  readonly name: string;
  readonly namespace: string;
  readonly dependsOn: readonly { readonly name: string; readonly namespace: string }[];
  readonly suspend: boolean;
}

/** Reads every Kustomization of `<dist>/fleet` (all files but kustomization.yaml). */
export function readKustomizations(dist: string): FluxKustomization[] {
  const dir = path.join(dist, 'fleet');
  return fs.readdirSync(dir).filter((f) => f !== 'kustomization.yaml').sort().map((f) => {
    const k = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const namespace: string = k.metadata.namespace;
    return {
      name: k.metadata.name,
      namespace,
      dependsOn: ((k.spec.dependsOn ?? []) as { name: string; namespace?: string }[]).map((d) => ({ name: d.name, namespace: d.namespace ?? namespace })),
      suspend: k.spec.suspend === true,
    };
  });
}

interface ShapeCluster {
  readonly name: string;
  readonly managed: boolean;
  readonly wave: number;
  readonly topology: boolean;
  readonly pools: number;
}

/** What the oracle needs of a fleet file, read with DESIGN §4's defaults. */
export interface FleetShape {
  readonly konvoy: boolean;
  readonly management: { readonly topology: boolean; readonly pools: number; readonly catalog: boolean };
  readonly workspaces: readonly { readonly name: string; readonly catalog: boolean; readonly clusters: readonly ShapeCluster[] }[];
  /** Rollout controls by wave. */
  readonly rollout: ReadonlyMap<number, { readonly soak: boolean; readonly budget: boolean }>;
  readonly hold: readonly string[];
}

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
const livePools = (pools: unknown) => (Array.isArray(pools) ? pools.filter((p) => p?.removed !== true).length : 0);

/** The fleet file (parsed YAML) as the oracle sees it. */
export function fleetShape(doc: any): FleetShape {
  const s = doc.spec;
  const m = s.management;
  return {
    konvoy: s.konvoy?.enabled !== false,
    management: { topology: m.topology === true, pools: livePools(m.nodePools), catalog: nonEmpty(m.catalogApps) || nonEmpty(m.customApps) },
    workspaces: (s.workspaces ?? []).map((w: any) => ({
      name: w.name,
      catalog: nonEmpty(w.catalogApps) || nonEmpty(w.customApps)
        || (w.projects ?? []).some((p: any) => nonEmpty(p.catalogApps) || nonEmpty(p.customApps)),
      clusters: (w.clusters ?? []).filter((c: any) => c.removed !== true).map((c: any): ShapeCluster => ({
        name: c.name,
        managed: c.type !== 'attached',
        wave: c.wave ?? 1,
        topology: c.topology === true,
        pools: livePools(c.nodePools),
      })),
    })),
    rollout: new Map((s.rollout?.waves ?? []).map((w: any) => [w.wave, { soak: w.soak !== undefined, budget: w.maxFailures !== undefined }])),
    hold: s.rollout?.hold ?? [],
  };
}

/** Reads a fleet file. */
export function fleetShapeOfFile(file: string): FleetShape {
  return fleetShape(YAML.parse(fs.readFileSync(file, 'utf8')));
}

type Role =
  | 'mgmt-preflight' | 'kommander' | 'mgmt-platform' | 'mgmt-catalog' | 'ws-platform' | 'ws-catalog' | 'ws-ready' | 'cluster-platform'
  | 'cluster-catalog' | 'providers' | 'mgmt-addons' | 'mgmt-control-plane' | 'mgmt-node-pools' | 'mgmt-kubernetes' | 'cluster-preflight'
  | 'cluster-addons' | 'cluster-addons-ready' | 'cluster-control-plane' | 'cluster-node-pools' | 'cluster-kubernetes' | 'wave' | 'wave-budget'
  | 'soak';

interface Expected {
  readonly name: string;
  readonly role: Role;
  readonly required: boolean;
  readonly workspace?: string;
  readonly cluster?: ShapeCluster;
  readonly wave?: number;
}

const APP_ROLES: readonly Role[] = [
  'kommander', 'mgmt-platform', 'mgmt-catalog', 'ws-platform', 'ws-catalog', 'ws-ready', 'cluster-platform', 'cluster-catalog',
];
const VERSION_ROLES: readonly Role[] = [
  'mgmt-control-plane', 'mgmt-node-pools', 'mgmt-kubernetes', 'cluster-control-plane', 'cluster-node-pools', 'cluster-kubernetes',
];
const MANAGED_KONVOY_ROLES: readonly Role[] = ['cluster-addons', 'cluster-addons-ready', 'cluster-control-plane', 'cluster-node-pools', 'cluster-kubernetes'];
const MANAGEMENT_ROLES: readonly Role[] = [
  'mgmt-preflight', 'kommander', 'mgmt-platform', 'mgmt-catalog', 'providers', 'mgmt-addons', 'mgmt-control-plane', 'mgmt-node-pools', 'mgmt-kubernetes',
];

/** Every layer the fleet asks for, by the names DESIGN §1 and the README give them. */
function expectedLayers(f: FleetShape): Expected[] {
  const out: Expected[] = [
    { name: 'mgmt-preflight', role: 'mgmt-preflight', required: true },
    { name: 'mgmt-kommander', role: 'kommander', required: true },
    { name: 'mgmt-platform-apps', role: 'mgmt-platform', required: true },
  ];
  if (f.management.catalog) out.push({ name: 'mgmt-catalog-apps', role: 'mgmt-catalog', required: true });
  for (const w of f.workspaces) {
    out.push({ name: `ws-${w.name}-platform-apps`, role: 'ws-platform', required: true, workspace: w.name });
    if (w.catalog) out.push({ name: `ws-${w.name}-catalog-apps`, role: 'ws-catalog', required: true, workspace: w.name });
    out.push({ name: `ws-${w.name}-apps-ready`, role: 'ws-ready', required: true, workspace: w.name });
    for (const c of w.clusters) {
      out.push({ name: `cluster-${c.name}-platform-apps`, role: 'cluster-platform', required: true, workspace: w.name, cluster: c });
      // A cluster on which no catalog app renders a HelmRelease has no catalog check.
      if (w.catalog) out.push({ name: `cluster-${c.name}-catalog-apps`, role: 'cluster-catalog', required: false, workspace: w.name, cluster: c });
    }
  }
  if (!f.konvoy) return out;
  out.push({ name: 'mgmt-capi-providers', role: 'providers', required: true }, { name: 'mgmt-core-addons', role: 'mgmt-addons', required: true });
  if (f.management.topology) {
    out.push({ name: 'mgmt-kubernetes', role: 'mgmt-kubernetes', required: true });
  } else {
    out.push({ name: 'mgmt-control-plane', role: 'mgmt-control-plane', required: true });
    if (f.management.pools > 0) out.push({ name: 'mgmt-node-pools', role: 'mgmt-node-pools', required: true });
  }
  const managed = f.workspaces.flatMap((w) => w.clusters.filter((c) => c.managed).map((c) => ({ c, w: w.name })));
  for (const { c, w } of managed) {
    const at = { workspace: w, cluster: c, wave: c.wave };
    out.push({ name: `cluster-${c.name}-preflight`, role: 'cluster-preflight', required: true, ...at });
    out.push({ name: `cluster-${c.name}-core-addons`, role: 'cluster-addons', required: true, ...at });
    // A cluster whose addons go by ClusterResourceSet gets a check of their workloads on the cluster.
    out.push({ name: `cluster-${c.name}-addons-ready`, role: 'cluster-addons-ready', required: false, ...at });
    if (c.topology) {
      out.push({ name: `cluster-${c.name}-kubernetes`, role: 'cluster-kubernetes', required: true, ...at });
    } else {
      out.push({ name: `cluster-${c.name}-control-plane`, role: 'cluster-control-plane', required: true, ...at });
      if (c.pools > 0) out.push({ name: `cluster-${c.name}-node-pools`, role: 'cluster-node-pools', required: true, ...at });
    }
  }
  for (const wave of [...new Set(managed.map((x) => x.c.wave))]) {
    const ctl = f.rollout.get(wave);
    out.push({ name: `wave-${wave}`, role: ctl?.budget ? 'wave-budget' : 'wave', required: true, wave });
    if (ctl?.soak) out.push({ name: `wave-${wave}-soak`, role: 'soak', required: true, wave });
  }
  return out;
}

/** Bit sets of ancestors: `follows(a, b)` is whether `a` depends on `b` through dependsOn, transitively. */
class Ancestry {
  private readonly words: number;
  private readonly bits: Uint32Array[];

  constructor(private readonly index: ReadonlyMap<string, number>, order: readonly number[], deps: readonly (readonly number[])[]) {
    this.words = Math.ceil(index.size / 32) || 1;
    this.bits = Array.from({ length: index.size }, () => new Uint32Array(this.words));
    for (const i of order) {
      for (const d of deps[i]) {
        this.bits[i][d >> 5] |= 1 << (d & 31);
        for (let w = 0; w < this.words; w++) this.bits[i][w] |= this.bits[d][w];
      }
    }
  }

  follows(a: string, b: string): boolean {
    const i = this.index.get(a);
    const j = this.index.get(b);
    if (i === undefined || j === undefined) return false;
    return (this.bits[i][j >> 5] & (1 << (j & 31))) !== 0;
  }

  count(a: string): number {
    const bits = this.bits[this.index.get(a)!];
    let n = 0;
    for (const w of bits) for (let x = w; x !== 0; x &= x - 1) n++;
    return n;
  }
}

export interface OracleOptions {
  /** The Kustomization that applies dist/fleet, which mgmt-preflight (and nothing else) depends on. @default - not checked */
  readonly bootstrap?: { readonly name: string; readonly namespace: string };
}

/**
 * Every way the written Kustomizations break DESIGN's order for this fleet; empty when they keep it.
 */
export function orderViolations(f: FleetShape, ks: readonly FluxKustomization[], options: OracleOptions = {}): string[] {
  const v: string[] = [];
  const byName = new Map<string, FluxKustomization>();
  for (const k of ks) {
    if (byName.has(k.name)) v.push(`structure: two Kustomizations named ${k.name}`);
    byName.set(k.name, k);
  }
  const expected = expectedLayers(f);
  const roleOf = new Map(expected.map((e) => [e.name, e]));
  if (roleOf.size !== expected.length) v.push('structure: the fleet\'s layer names collide');
  for (const e of expected) if (e.required && !byName.has(e.name)) v.push(`structure: ${e.name} is missing`);
  for (const k of ks) if (!roleOf.has(k.name)) v.push(`structure: ${k.name} is not a layer this fleet asks for`);

  // Edges, resolved the way Flux resolves them.
  const names = ks.map((k) => k.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const deps: number[][] = ks.map(() => []);
  ks.forEach((k, i) => {
    const written = k.dependsOn.map((d) => d.name);
    if (written.some((d, j) => j > 0 && written[j - 1] > d)) v.push(`structure: ${k.name}: dependsOn is not sorted by name`);
    if (new Set(written).size !== written.length) v.push(`structure: ${k.name}: lists a dependency twice`);
    for (const d of k.dependsOn) {
      const target = byName.get(d.name);
      if (target !== undefined && target.namespace === d.namespace) {
        deps[i].push(index.get(d.name)!);
      } else if (k.name === 'mgmt-preflight' && options.bootstrap === undefined && target === undefined) {
        // the bootstrap Kustomization, outside dist/fleet
      } else if (k.name === 'mgmt-preflight' && options.bootstrap !== undefined
        && d.name === options.bootstrap.name && d.namespace === options.bootstrap.namespace) {
        // the bootstrap Kustomization
      } else {
        v.push(`structure: ${k.name} depends on ${d.namespace}/${d.name}, which is no Kustomization of dist/fleet`
          + `${target ? ` (it lives in namespace ${target.namespace})` : ''}`);
      }
    }
  });
  const preflight = byName.get('mgmt-preflight');
  if (options.bootstrap && preflight) {
    const outside = preflight.dependsOn.filter((d) => !byName.has(d.name));
    if (outside.length !== 1) v.push(`structure: mgmt-preflight depends on ${outside.length} Kustomizations outside dist/fleet, not the bootstrap alone`);
  }

  // Topological order (dependencies first); a cycle ends the check.
  const state = new Array<number>(ks.length).fill(0);
  const order: number[] = [];
  const visit = (i: number, trail: number[]): boolean => {
    if (state[i] === 2) return true;
    if (state[i] === 1) {
      v.push(`structure: a dependsOn cycle: ${[...trail.slice(trail.indexOf(i)), i].map((x) => names[x]).join(' -> ')}`);
      return false;
    }
    state[i] = 1;
    for (const d of deps[i]) if (!visit(d, [...trail, i])) return false;
    state[i] = 2;
    order.push(i);
    return true;
  };
  for (let i = 0; i < ks.length; i++) if (!visit(i, [])) return v;
  const anc = new Ancestry(index, order, deps);

  // Direct predecessors only.
  ks.forEach((k, i) => {
    for (const d of deps[i]) {
      const via = deps[i].find((e) => e !== d && anc.follows(names[e], names[d]));
      if (via !== undefined) v.push(`structure: ${k.name} lists ${names[d]}, which ${names[via]} already follows`);
    }
  });

  const present = (pred: (e: Expected) => boolean) => expected.filter((e) => byName.has(e.name) && pred(e));
  const mustFollow = (rule: string, later: readonly Expected[] | Expected, earlier: readonly Expected[] | Expected) => {
    for (const l of [later].flat()) {
      for (const e of [earlier].flat()) {
        if (l.name !== e.name && byName.has(l.name) && byName.has(e.name) && !anc.follows(l.name, e.name)) {
          v.push(`${rule}: ${l.name} does not follow ${e.name}`);
        }
      }
    }
  };
  const one = (name: string) => present((e) => e.name === name);

  // A single root.
  for (const k of ks) {
    const own = deps[index.get(k.name)!];
    if (k.name === 'mgmt-preflight' && own.length > 0) v.push('structure: mgmt-preflight depends on a layer');
    if (k.name !== 'mgmt-preflight' && own.length === 0) v.push(`structure: ${k.name} depends on no layer, so it can start first`);
  }
  mustFollow('preflight first', present((e) => e.name !== 'mgmt-preflight'), one('mgmt-preflight'));

  // Apps (DESIGN §1 rows 1-4, README "The layers").
  mustFollow('apps', one('mgmt-kommander'), one('mgmt-preflight'));
  mustFollow('apps', one('mgmt-platform-apps'), one('mgmt-kommander'));
  mustFollow('apps', one('mgmt-catalog-apps'), one('mgmt-platform-apps'));
  for (const w of f.workspaces) {
    const own = present((e) => e.workspace === w.name && APP_ROLES.includes(e.role));
    const platform = one(`ws-${w.name}-platform-apps`);
    const checks = own.filter((e) => e.role === 'cluster-platform');
    const catalog = one(`ws-${w.name}-catalog-apps`);
    mustFollow('apps', platform, one('mgmt-platform-apps'));
    mustFollow('apps: a cluster checks its workspace\'s platform apps after they moved', checks, platform);
    mustFollow('apps: workspace catalog apps after the workspace\'s platform apps, checked on each cluster', catalog, [...platform, ...checks]);
    mustFollow('apps: a cluster checks its workspace\'s catalog apps after they moved', own.filter((e) => e.role === 'cluster-catalog'), catalog);
    mustFollow('apps: the workspace barrier after every app layer of the workspace', one(`ws-${w.name}-apps-ready`),
      own.filter((e) => e.role !== 'ws-ready'));
  }
  const apps = present((e) => APP_ROLES.includes(e.role));

  // Konvoy on the management cluster (rows 5-8).
  mustFollow('providers after every app layer', one('mgmt-capi-providers'), apps);
  mustFollow('konvoy', one('mgmt-core-addons'), one('mgmt-capi-providers'));
  mustFollow('konvoy', [...one('mgmt-control-plane'), ...one('mgmt-kubernetes')], one('mgmt-core-addons'));
  mustFollow('control plane before node pools', one('mgmt-node-pools'), one('mgmt-control-plane'));

  // Apps before Kubernetes.
  mustFollow('apps before Kubernetes', present((e) => VERSION_ROLES.includes(e.role)), apps);

  // Management before managed, and each managed cluster's own chain (rows 9-11).
  const management = present((e) => MANAGEMENT_ROLES.includes(e.role));
  const konvoyOf = (c: ShapeCluster) => present((e) => e.cluster === c && MANAGED_KONVOY_ROLES.includes(e.role));
  const managed = f.workspaces.flatMap((w) => w.clusters.filter((c) => c.managed));
  for (const c of managed) {
    const p = `cluster-${c.name}`;
    mustFollow('management before managed', konvoyOf(c), management);
    const cp = byName.has(`${p}-preflight`) ? anc.count(`${p}-preflight`) : 1;
    if (cp !== 1) v.push(`cluster preflight: ${p}-preflight follows ${cp} layers, not mgmt-preflight alone (it must run from the start)`);
    mustFollow('a cluster changes nothing before its premise is proven', konvoyOf(c), one(`${p}-preflight`));
    mustFollow('konvoy', one(`${p}-addons-ready`), one(`${p}-core-addons`));
    mustFollow('konvoy: Kubernetes after the cluster\'s core addons run', [...one(`${p}-control-plane`), ...one(`${p}-kubernetes`)],
      [...one(`${p}-core-addons`), ...one(`${p}-addons-ready`)]);
    mustFollow('control plane before node pools', one(`${p}-node-pools`), one(`${p}-control-plane`));
  }

  // Waves.
  const waves = [...new Set(managed.map((c) => c.wave))].sort((a, b) => a - b);
  const waveKonvoy = (n: number) => managed.filter((c) => c.wave === n).flatMap(konvoyOf);
  for (const n of waves) {
    const barrier = one(`wave-${n}`);
    const budget = f.rollout.get(n)?.budget === true;
    const starting = [...waveKonvoy(n), ...(budget ? barrier : [])];
    mustFollow('management before managed', starting, management);
    if (!budget) mustFollow(`waves: the barrier of wave ${n} after each of its clusters`, barrier, waveKonvoy(n));
    mustFollow(`waves: the soak of wave ${n} after its barrier`, one(`wave-${n}-soak`), barrier);
    for (const m of waves.filter((x) => x < n)) {
      const rule = `waves: wave ${n} after wave ${m}`;
      if (f.rollout.get(m)?.budget) mustFollow(`${rule} (its failure budget barrier)`, starting, one(`wave-${m}`));
      else mustFollow(rule, starting, waveKonvoy(m));
      mustFollow(`${rule} (its soak)`, starting, one(`wave-${m}-soak`));
    }
  }

  // Holds.
  const held = new Set(f.hold);
  for (const k of ks) {
    const e = roleOf.get(k.name);
    const want = e !== undefined && (
      (e.role === 'cluster-addons' && (held.has(`cluster-${e.cluster!.name}`) || held.has(`wave-${e.wave}`)))
      || (e.role === 'wave-budget' && held.has(`wave-${e.wave}`)));
    if (k.suspend !== want) v.push(`hold: ${k.name} is ${k.suspend ? '' : 'not '}suspended`);
  }
  return v;
}

/** The oracle on a synthesized output folder and the fleet file it came from. */
export function orderViolationsOf(fleet: FleetShape, dist: string, options: OracleOptions = {}): string[] {
  return orderViolations(fleet, readKustomizations(dist), options);
}
