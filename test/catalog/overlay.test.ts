import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { synthesize } from '../../src/synth';
import { addonManifestsFor, problemsOf, tempDir, toYaml } from '../helpers';

/**
 * Release facts as overlays (issue: the fleet as it is): a file in spec.catalog whose version is a
 * built-in release adds to it (maps merge, lists and scalars replace). The CAPA tag below is the
 * one DKP 2.2's documented image list gives (../shared/reference/konvoy-components.md); a user
 * writes the tag their capa-controller-manager runs.
 */
const AWS_OVERLAY = `version: 2.2.0
capiProviders:
  infrastructure: {aws: {name: aws, namespace: capa-system, deployment: capa-controller-manager, version: v1.4.0-d2iq.0-rc1}}
`;

function catalogDir(files: Record<string, string>): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'catalog'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'catalog', name), text);
  return dir;
}

function awsFleet(dir: string): string {
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, toYaml({
    apiVersion: 'dkp-fleet/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'aws' },
    spec: {
      release: '2.2.0',
      currentRelease: '2.1.1',
      catalog: './catalog',
      konvoy: { addons: { manifests: addonManifestsFor(['aws'], dir) } },
      management: { name: 'mgmt', provider: 'aws', kubernetesVersion: '1.21.6', nodePools: [{ name: 'mgmt-md-0' }], platformApps: ['traefik'] },
      workspaces: [{ name: 'team-a', clusters: [{ name: 'prod', provider: 'aws', kubernetesVersion: '1.21.6', nodePools: [{ name: 'prod-md-0' }] }] }],
    },
  }));
  return file;
}

describe('a release file of a built-in version is an overlay', () => {
  test('three lines unlock the Konvoy layers of an AWS 2.2.0 fleet', () => {
    expect(problemsOf(() => synthesize({ fleetFile: awsFleet(catalogDir({})) })).join('\n'))
      .toContain('release 2.2.0 does not record the version of the aws infrastructure provider');
    const dir = catalogDir({ '2.2.0.yaml': AWS_OVERLAY });
    expect(AWS_OVERLAY.trim().split('\n')).toHaveLength(3);
    const result = synthesize({ fleetFile: awsFleet(dir) });
    const providers = result.plan.layers.find((l) => l.name === 'mgmt-capi-providers')!;
    expect(providers.checks.map((c) => `${c.namespace}/${c.name}`)).toContain('capa-system/capa-controller-manager');
    expect(result.plan.layers.map((l) => l.name)).toEqual(expect.arrayContaining(['mgmt-control-plane', 'cluster-prod-preflight', 'cluster-prod-node-pools']));
  });

  test('maps merge key by key; lists and scalars replace; everything else stays built in', () => {
    const builtIn = loadCatalog().get('2.2.0')!;
    const dir = catalogDir({
      '2.2.0.yaml': `${AWS_OVERLAY}kubernetes: {default: 1.22.8, supported: '>=1.21.0 <1.22.9'}\n`
        + 'coreAddons:\n  aws: [{name: calico, version: 3.22.1, releaseNamespace: tigera-operator}]\n',
    });
    const r = loadCatalog(path.join(dir, 'catalog')).get('2.2.0')!;
    expect(r.capiProviders!.infrastructure!.aws!.version).toBe('v1.4.0-d2iq.0-rc1');
    expect(r.capiProviders!.infrastructure!.azure).toEqual(builtIn.capiProviders!.infrastructure!.azure);
    expect(r.capiProviders!.core).toEqual(builtIn.capiProviders!.core);
    expect(r.kubernetes!.supported).toBe('>=1.21.0 <1.22.9');
    expect(r.coreAddons!.aws).toEqual([{ name: 'calico', version: '3.22.1', releaseNamespace: 'tigera-operator' }]);
    expect(r.coreAddons!.azure).toEqual(builtIn.coreAddons!.azure);
    expect(r.platformApps).toEqual(builtIn.platformApps);
    expect(r.source).toBe(`src/catalog/releases/2.2.0.yaml with ${path.join(dir, 'catalog', '2.2.0.yaml')}`);
    expect(r.userFile!.facts).toEqual([
      { path: 'capiProviders.infrastructure.aws.name', value: 'aws' },
      { path: 'capiProviders.infrastructure.aws.namespace', value: 'capa-system' },
      { path: 'capiProviders.infrastructure.aws.deployment', value: 'capa-controller-manager' },
      { path: 'capiProviders.infrastructure.aws.version', value: 'v1.4.0-d2iq.0-rc1' },
      { path: 'kubernetes.default', value: '1.22.8' },
      { path: 'kubernetes.supported', value: '>=1.21.0 <1.22.9', replaced: builtIn.kubernetes!.supported },
      {
        path: 'coreAddons.aws', value: '[{"name":"calico","version":"3.22.1","releaseNamespace":"tigera-operator"}]',
        replaced: expect.stringContaining('"name":'),
      },
    ]);
  });

  test('PLAN.md lists each fact from the user\'s file, and the built-in value a fact replaced', () => {
    const dir = catalogDir({ '2.2.0.yaml': `${AWS_OVERLAY}clusterResourceSetStrategy: Reconcile\n` });
    const { files } = synthesize({ fleetFile: awsFleet(dir) });
    const md = files.find((f) => f.path === 'PLAN.md')!.content;
    expect(md).toContain('DKP 2.2.0: facts from ');
    // a fact the built-in release lacks replaces nothing
    expect(md).toContain('capiProviders.infrastructure.aws.version = v1.4.0-d2iq.0-rc1; clusterResourceSetStrategy = ');
    expect(md).toContain('clusterResourceSetStrategy = Reconcile (replaces the built-in ApplyAlways)');
    // and the note about the fork's ApplyAlways strategy is gone with it, though the output has ClusterResourceSets
    expect(files.some((f) => /\/clusterresourceset\./.test(f.path))).toBe(true);
    expect(md).not.toContain('ApplyAlways strategy');
  });

  test('a file of a version the catalog lacks is still a whole release', () => {
    const dir = catalogDir({ '2.2.9.yaml': AWS_OVERLAY.replace('2.2.0', '2.2.9') });
    const found = problemsOf(() => loadCatalog(path.join(dir, 'catalog')));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/2\.2\.9\.yaml:1: upgradeFrom: required field is missing/)]));
    expect(found[0]).toMatch(/2\.2\.9\.yaml:1: version: "2\.2\.9" is not a built-in release, so this file must hold the whole release \(start from src\/catalog\/releases\/2\.2\.3\.yaml\)/);
  });

  test('fails if the merged release breaks a rule: the user\'s file and field are named, with its line', () => {
    const dir = catalogDir({ '2.2.0.yaml': 'version: 2.2.0\ncapiProviders:\n  infrastructure: {aws: {name: aws, version: 1.4}}\n' });
    const found = problemsOf(() => loadCatalog(path.join(dir, 'catalog')));
    expect(found.join('\n')).toMatch(/2\.2\.0\.yaml:3: capiProviders\.infrastructure\.aws\.version: .*provider version such as v1\.1\.3/);
    expect(found.join('\n')).toMatch(/2\.2\.0\.yaml(:3)?: capiProviders\.infrastructure\.aws\.namespace: required field is missing/);
  });

  test('fails if an overlay names another apiVersion or kind', () => {
    const dir = catalogDir({ '2.2.0.yaml': `apiVersion: dkp-fleet/v2\n${AWS_OVERLAY}` });
    expect(problemsOf(() => loadCatalog(path.join(dir, 'catalog'))).join('\n')).toMatch(/2\.2\.0\.yaml:1: apiVersion: "dkp-fleet\/v2" is not supported/);
  });

  test('fails if an overlay holds a key that is not a release field, prototype keys included', () => {
    const dir = catalogDir({ '2.2.0.yaml': 'version: 2.2.0\ncapiProviders:\n  __proto__: {polluted: true}\n' });
    expect(problemsOf(() => loadCatalog(path.join(dir, 'catalog'))).join('\n')).toMatch(/capiProviders\.__proto__: is not a release field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const typo = catalogDir({ '2.2.0.yaml': 'version: 2.2.0\ncapiProvider: {}\n' });
    expect(problemsOf(() => loadCatalog(path.join(typo, 'catalog'))).join('\n')).toMatch(/capiProvider/);
  });
});
