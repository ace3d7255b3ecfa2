import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { HealthCheck } from '../../../src/planner/layer';
import { synthesize, SynthResult } from '../../../src/synth';
import { ROOT, tempDir, toYaml } from '../../helpers';

/**
 * The fleets whose written output the timeline tests judge: cluster prod-east in namespace default
 * (the names the fixtures use), in both Flux modes, each with a gate image so checks CEL cannot
 * prove get a Job. hub: DKP 2.1.1 -> 2.2.0 on a Flux >= 2.5. kommander: 2.2.1 -> 2.2.3 on Kommander's
 * own Flux (no CEL), with the Cluster API facts 2.2.3 lacks supplied as a user would
 * (test/fixtures/timelines/catalog, marked test data).
 */
export type Mode = 'hub' | 'kommander';
export type Variant = 'classic' | 'operator' | 'topology' | 'hcp';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'timelines');
export const GATE_IMAGE = 'registry.example/kubectl:v1.22.8';

export function fleetOf(mode: Mode, variant: Variant, gateImage: string | null = GATE_IMAGE): unknown {
  const hub = mode === 'hub';
  return {
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'timelines' },
    spec: {
      release: hub ? '2.2.0' : '2.2.3',
      currentRelease: hub ? '2.1.1' : '2.2.1',
      catalog: './catalog',
      konvoy: {
        providers: variant === 'operator' ? 'clusterApiOperator' : 'dkpCli',
        providerComponents: 'configMaps',
        addons: variant === 'hcp' ? { delivery: 'helmChartProxy', values: './values' } : { manifests: './addons' },
      },
      flux: { mode, ...(gateImage ? { gateImage } : {}) },
      preflight: { veleroBackup: {} },
      management: { name: 'mgmt', provider: 'azure', kubernetesVersion: '1.21.6', nodePools: [{ name: 'mgmt-md-0' }], platformApps: ['traefik'] },
      workspaces: [{
        name: 'team-a',
        platformApps: ['traefik'],
        clusters: [variant === 'topology'
          ? { name: 'prod-east', namespace: 'default', provider: 'azure', kubernetesVersion: '1.21.6', topology: true }
          : { name: 'prod-east', namespace: 'default', provider: 'azure', kubernetesVersion: '1.21.6', nodePools: [{ name: 'prod-east-md-0' }] }],
      }],
    },
  };
}

/** One synthesized output, with its objects by folder. */
export interface Output {
  readonly result: SynthResult;
  /** Objects of each folder (the fleet folder included), parsed. */
  readonly folders: ReadonlyMap<string, readonly Record<string, any>[]>;
}

const cache = new Map<string, Output>();
/**
 * Under mutation testing (stryker.config.mjs sets it) every call synthesizes: a test covers only the code it runs
 * itself, and a mutant of the gates is tested only with the tests that cover it, so each test must write its own.
 */
const NO_CACHE = process.env.DKP_FLEET_TEST_NO_CACHE === '1';

/** Synthesizes a fleet in a folder of its own that holds the addon manifests, values and catalog files. */
export function synth(mode: Mode, variant: Variant, gateImage: string | null = GATE_IMAGE): Output {
  const key = `${mode}/${variant}/${gateImage ?? ''}`;
  const hit = NO_CACHE ? undefined : cache.get(key);
  if (hit) return hit;
  const dir = tempDir();
  for (const d of ['addons', 'values', 'catalog']) fs.cpSync(path.join(FIXTURES, d), path.join(dir, d), { recursive: true });
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, toYaml(fleetOf(mode, variant, gateImage)));
  const result = synthesize({ fleetFile: file });
  const folders = new Map<string, Record<string, any>[]>();
  for (const f of result.files) {
    const [folder, name] = f.path.split('/');
    if (name === undefined || name === 'kustomization.yaml') continue;
    folders.set(folder, [...(folders.get(folder) ?? []), YAML.parse(f.content)]);
  }
  const out = { result, folders };
  cache.set(key, out);
  return out;
}

/** The layer Kustomization of `layer` in an output. */
export function kustomizationOf(out: Output, layer: string): Record<string, any> {
  return out.folders.get('fleet')!.find((k) => k.metadata.name === layer)!;
}

/** Every check of every layer, with its layer. */
export function checksOf(out: Output): { layer: string; check: HealthCheck }[] {
  return out.result.plan.layers.flatMap((l) => l.checks.map((check) => ({ layer: l.name, check })));
}
