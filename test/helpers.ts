import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { FleetError, formatProblem } from '../src/input/problems';

export const ROOT = path.resolve(__dirname, '..');

/** A small valid fleet (DKP 2.1.1 -> 2.2.0 on Azure, hub mode), as data to vary in tests. */
export function baseFleet(): any {
  return {
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'test' },
    spec: {
      release: '2.2.0',
      currentRelease: '2.1.1',
      konvoy: { providerComponents: 'configMaps' },
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
export const SHARED = path.resolve(process.env.SHARED_DIR ?? path.join(ROOT, '..', 'shared'));
export const HAVE_SHARED = fs.existsSync(path.join(SHARED, 'crds')) && fs.existsSync(path.join(SHARED, 'reference'));

/**
 * `describe` for tests that need ../shared (upstream CRDs, reference tables). Without it they
 * are skipped, and say so loudly: CI always has ../shared, so there they always run.
 */
export function describeWithShared(name: string, fn: () => void): void {
  if (HAVE_SHARED) {
    describe(name, fn);
  } else {
    process.stderr.write(`\n!!! SKIPPED "${name}": ${SHARED} is missing (upstream CRDs and reference tables); these checks did not run !!!\n\n`);
    describe.skip(name, fn);
  }
}

/** Layers as rebuilt from a synthesized dist/fleet folder (what Flux will see). */
export function layersFromDist(dist: string): import('../src/planner/invariants').LayerNode[] {
  const dir = path.join(dist, 'fleet');
  return fs.readdirSync(dir).filter((f) => f !== 'kustomization.yaml').sort().map((f) => {
    const k = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const labels = k.metadata.labels ?? {};
    const name: string = k.metadata.name;
    const scope = labels['dkp-fleet/cluster']
      ? { type: 'cluster', cluster: labels['dkp-fleet/cluster'], wave: labels['dkp-fleet/wave'] ? Number(labels['dkp-fleet/wave']) : undefined,
        clusterType: labels['dkp-fleet/wave'] ? 'managed' : 'attached' }
      : name.startsWith('wave-') ? { type: 'wave', wave: Number(labels['dkp-fleet/wave']) }
        : labels['dkp-fleet/workspace'] ? { type: 'workspace' } : { type: 'management' };
    return { name, kind: labels['app.kubernetes.io/component'], scope, dependsOn: (k.spec.dependsOn ?? []).map((d: { name: string }) => d.name) };
  });
}

/** Runs `kubectl kustomize` on a folder; returns the built documents or throws with kustomize's error. */
export function kustomizeBuild(dir: string): any[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr || r.error}`);
  return YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((d) => d !== null);
}
