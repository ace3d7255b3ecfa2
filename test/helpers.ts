import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { ReleaseCatalog } from '../src/catalog/catalog';
import { Release } from '../src/catalog/release';
import { FleetError, formatProblem } from '../src/input/problems';

export const ROOT = path.resolve(__dirname, '..');

/**
 * A small valid fleet (DKP 2.1.1 -> 2.2.0 on Azure, hub mode), as data to vary in tests. Its core
 * addons go by ClusterResourceSet, as DKP 2.1 delivered them, from the placeholder manifests of
 * examples/addons-azure: the path is relative to the fleet file, so a fleet parsed as 'fleet.yaml'
 * finds them in the repository (jest runs there), and writeFleet copies them beside a temporary one.
 */
export function baseFleet(): any {
  return {
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'test' },
    spec: {
      release: '2.2.0',
      currentRelease: '2.1.1',
      konvoy: { addons: { manifests: './examples/addons-azure' } },
      management: {
        name: 'mgmt',
        provider: 'azure',
        kubernetesVersion: '1.21.6',
        nodePools: [{ name: 'mgmt-md-0' }],
        platformApps: ['cert-manager', 'traefik'],
      },
      workspaces: [
        {
          name: 'team-a',
          clusters: [
            { name: 'prod-east', provider: 'azure', kubernetesVersion: '1.21.6', nodePools: [{ name: 'prod-east-md-0' }] },
          ],
        },
      ],
    },
  };
}

export function toYaml(fleet: unknown): string {
  return YAML.stringify(fleet);
}

/** Temporary folders made by this test file; test/setup.ts removes them after it. */
const made: string[] = [];

/** Removes every temporary folder made so far (unless DKP_FLEET_KEEP_TMP is set, to look at them). */
export function removeTempDirs(): void {
  if (process.env.DKP_FLEET_KEEP_TMP) return;
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Writes text to a fresh temporary file and returns its path. */
export function tempFile(text: string, name = 'fleet.yaml'): string {
  const dir = tempDir();
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dkp-fleet-test-'));
  made.push(dir);
  return dir;
}

/**
 * Copies the addon folders a fleet names (spec.konvoy.addons.manifests and values) by a path
 * relative to its file, from beside its file in the repository (`sourceDir`, the repository root
 * by default) into `dir` at the same relative paths: a fleet written to `dir` then finds them as it
 * does in the repository. Folders `dir` already has are kept (a test's own addon files), and so are
 * names the repository does not have (a test of a missing folder).
 */
export function copyAddonFolders(fleet: any, dir: string, sourceDir = ROOT): void {
  const addons = fleet?.spec?.konvoy?.addons;
  for (const rel of [addons?.manifests, addons?.values]) {
    if (typeof rel !== 'string' || path.isAbsolute(rel)) continue; // an absolute folder is found from anywhere
    const from = path.resolve(sourceDir, rel);
    const to = path.resolve(dir, rel);
    if (path.relative(dir, to).startsWith('..')) throw new Error(`the test fleet names an addon folder outside its own folder: ${rel}`);
    if (fs.existsSync(from) && !fs.existsSync(to)) fs.cpSync(from, to, { recursive: true });
  }
}

/** The repository's placeholder addon manifests of each infrastructure provider (examples/addons-*; gcp has none). */
export const ADDON_PLACEHOLDERS: Readonly<Record<string, string>> = {
  aws: 'examples/addons-aws', azure: 'examples/addons-azure', preprovisioned: 'examples/addons-crs', vsphere: 'examples/addons-vsphere',
};

/**
 * Makes `dir`/`rel` one addon manifests folder (spec.konvoy.addons.manifests) for clusters of
 * `providers`, from the placeholders of each (its `providers/<provider>/` folder); returns `rel`.
 */
export function addonManifestsFor(providers: Iterable<string>, dir: string, rel = 'addons'): string {
  for (const p of new Set(providers)) {
    if (ADDON_PLACEHOLDERS[p] === undefined) throw new Error(`no placeholder addon manifests for provider ${p}`);
    const to = path.join(dir, rel, 'providers', p);
    if (!fs.existsSync(to)) fs.cpSync(path.join(ROOT, ADDON_PLACEHOLDERS[p], 'providers', p), to, { recursive: true });
  }
  return rel;
}

/** Writes a fleet to `dir`/`name` with the addon folders it names beside it (copyAddonFolders); returns the file's path. */
export function writeFleet(fleet: unknown, dir = tempDir(), name = 'fleet.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, toYaml(fleet));
  copyAddonFolders(fleet, dir);
  return file;
}

/** Runs `fn`, expects a FleetError, and returns its formatted problems. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof FleetError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected a FleetError, but nothing was thrown');
}

/** sha256 of every file under `dir`, by relative path: a byte-for-byte fingerprint. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Is a shared folder with the upstream CRDs and references beside the project? */
/** An output folder `dist/` with one file (`layer/old.yaml`), its parent, and its fingerprint. */
export function existingDist(): { dist: string; parent: string; before: Record<string, string> } {
  const parent = tempDir();
  const dist = path.join(parent, 'dist');
  fs.mkdirSync(path.join(dist, 'layer'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'layer', 'old.yaml'), 'old: true\n');
  return { dist, parent, before: fingerprint(dist) };
}

export const SHARED = path.resolve(process.env.SHARED_DIR ?? path.join(ROOT, '..', 'shared'));
export const HAVE_SHARED = fs.existsSync(path.join(SHARED, 'crds')) && fs.existsSync(path.join(SHARED, 'reference'));

/** Whether the tests run in CI (`CI` set, as CI services and .ci/run set it, and not `false` or `0`). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && !['', 'false', '0'].includes(env.CI.toLowerCase());
}

/** Why a run without ../shared fails in CI. */
export const SHARED_MISSING_IN_CI = `${SHARED} is missing (upstream CRDs and reference tables), and CI is set: CI runs every check, `
  + 'so a missing ../shared fails the run instead of skipping them; put the shared folder beside the project or set SHARED_DIR';

/**
 * `describe` for tests that need ../shared (upstream CRDs, reference tables). Without it they
 * are skipped, and say so loudly; in CI (`CI=true`), where ../shared is always beside the clone,
 * a missing ../shared fails the run instead: a test in their place fails, saying why.
 */
export function describeWithShared(name: string, fn: () => void): void {
  if (HAVE_SHARED) {
    describe(name, fn);
  } else if (inCi()) {
    describe(name, () => {
      test('fails if ../shared is missing in CI', () => {
        throw new Error(SHARED_MISSING_IN_CI);
      });
    });
  } else {
    process.stderr.write(`\n!!! SKIPPED "${name}": ${SHARED} is missing (upstream CRDs and reference tables); these checks did not run !!!\n\n`);
    describe.skip(name, fn);
  }
}

/** A Kustomization dependsOn entry as Flux resolves it: its namespace defaults to the dependent's. */
export interface KustomizationRef {
  readonly name: string;
  readonly namespace: string;
}

/** The Kustomizations of a synthesized dist/fleet folder (every file but kustomization.yaml), by file name order. */
function distKustomizations(dist: string): any[] {
  const dir = path.join(dist, 'fleet');
  return fs.readdirSync(dir).filter((f) => f !== 'kustomization.yaml').sort().map((f) => YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/**
 * What mgmt-preflight depends on outside the layers: the bootstrap Kustomization that applies
 * dist/fleet (spec.flux.bootstrap), as Flux resolves the reference.
 */
export function bootstrapOf(dist: string): KustomizationRef[] {
  const all = distKustomizations(dist);
  const layers = new Set(all.map((k) => k.metadata.name));
  const preflight = all.find((k) => k.metadata.name === 'mgmt-preflight');
  return (preflight?.spec.dependsOn ?? []).filter((d: { name: string }) => !layers.has(d.name))
    .map((d: { name: string; namespace?: string }) => ({ name: d.name, namespace: d.namespace ?? preflight.metadata.namespace }));
}

/**
 * Layers as rebuilt from a synthesized dist/fleet folder (what Flux will see). mgmt-preflight's
 * dependency on the bootstrap Kustomization ({@link bootstrapOf}) is left out: it is not a layer.
 * Every other dependency stays, so one on a layer that does not exist breaks the invariants.
 */
export function layersFromDist(dist: string): import('../src/planner/invariants').LayerNode[] {
  const all = distKustomizations(dist);
  const layers = new Set(all.map((k) => k.metadata.name));
  return all.map((k) => {
    const labels = k.metadata.labels ?? {};
    const name: string = k.metadata.name;
    const scope = labels['dkp-fleet/cluster']
      ? { type: 'cluster', cluster: labels['dkp-fleet/cluster'], wave: labels['dkp-fleet/wave'] ? Number(labels['dkp-fleet/wave']) : undefined,
        clusterType: labels['dkp-fleet/wave'] ? 'managed' : 'attached' }
      : name.startsWith('wave-') ? { type: 'wave', wave: Number(labels['dkp-fleet/wave']) }
        : labels['dkp-fleet/workspace'] ? { type: 'workspace' } : { type: 'management' };
    const dependsOn = ((k.spec.dependsOn ?? []) as { name: string }[]).map((d) => d.name)
      .filter((d) => name !== 'mgmt-preflight' || layers.has(d));
    return { name, kind: labels['app.kubernetes.io/component'], scope, dependsOn };
  });
}

/** Runs `kubectl kustomize` on a folder; returns the built documents or throws with kustomize's error. */
export function kustomizeBuild(dir: string): any[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1 << 28 }); // dist/fleet of 200 clusters is megabytes
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr || r.error}`);
  return YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((d) => d !== null);
}

/** A copy of `catalog` with release `version` changed by `change` (a release file of the user's could say so). */
export function catalogWith(catalog: ReleaseCatalog, version: string, change: (r: Release) => Release): ReleaseCatalog {
  return new ReleaseCatalog(catalog.versions.map((v) => (v === version ? change(catalog.get(v)!) : catalog.get(v)!)));
}
