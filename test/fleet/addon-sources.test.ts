import * as fs from 'fs';
import * as path from 'path';
import { loadAddonSources, MAX_CONFIGMAP_BYTES } from '../../src/fleet/addon-sources';
import { Fleet } from '../../src/fleet/fleet';
import { problemsOf, tempDir } from '../helpers';

/** Only spec.konvoy's addon folders matter to loadAddonSources. */
function fleetWith(dirs: { manifests?: string; values?: string }): Fleet {
  return { konvoy: { addonManifestsDir: dirs.manifests, addonValuesDir: dirs.values } } as unknown as Fleet;
}

/** Writes files (relative path → content) under a new folder and returns it. */
function tree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** A path as a regular expression that matches it literally. */
const escaped = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const DOC = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

describe('addon manifests (spec.konvoy.addons.manifests)', () => {
  test('reads clusters/<cluster>/<addon>/*.yaml and providers/<provider>/<addon>/*.yml, files in name order', () => {
    const root = tree({
      'clusters/prod-1/calico/b.yaml': 'b: 1\n',
      'clusters/prod-1/calico/a.yaml': 'a: 1\n',
      'providers/aws/cert-manager/only.yml': DOC,
    });
    const { manifests, values } = loadAddonSources(fleetWith({ manifests: root }));
    expect([...manifests.clusters.keys()]).toEqual(['prod-1']);
    expect([...manifests.clusters.get('prod-1')!.get('calico')!.entries()]).toEqual([['a.yaml', 'a: 1\n'], ['b.yaml', 'b: 1\n']]);
    expect([...manifests.providers.get('aws')!.get('cert-manager')!.keys()]).toEqual(['only.yml']);
    expect(values.shared.size + values.clusters.size + values.providers.size).toBe(0);
  });

  test('a group folder that does not exist holds nothing', () => {
    const root = tree({ 'providers/aws/calico/x.yaml': DOC });
    expect(loadAddonSources(fleetWith({ manifests: root })).manifests.clusters.size).toBe(0);
  });

  test('fails if a group is a file, naming the folder expected', () => {
    const root = tree({ clusters: 'not a folder' });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root }))))
      .toEqual([`${path.join(root, 'clusters')}: expected a folder of cluster folders`]);
  });

  test('fails if a file sits where a provider folder belongs', () => {
    const root = tree({ 'providers/aws.yaml': DOC });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root }))))
      .toEqual([`${path.join(root, 'providers', 'aws.yaml')}: expected a folder named after a provider`]);
  });

  test('fails if a file sits where an addon folder belongs', () => {
    const root = tree({ 'clusters/prod-1/calico.yaml': DOC });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root })))).toEqual([
      `${path.join(root, 'clusters', 'prod-1', 'calico.yaml')}: expected a folder named after an addon, holding its manifests (*.yaml)`,
    ]);
  });

  test('fails if an addon folder holds something other than YAML, or nothing', () => {
    const root = tree({ 'clusters/prod-1/calico/README.md': '# no\n', 'clusters/prod-1/calico/sub/x.yaml': DOC });
    const addon = path.join(root, 'clusters', 'prod-1', 'calico');
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root })))).toEqual([
      `${path.join(addon, 'README.md')}: expected only YAML manifest files (*.yaml, *.yml) in an addon folder`,
      `${path.join(addon, 'sub')}: expected only YAML manifest files (*.yaml, *.yml) in an addon folder`,
      `${addon}: holds no manifest (*.yaml); an addon folder needs at least one`,
    ]);
  });

  test('fails if a file only has .yaml inside its name (a merge tool\'s x.yaml.orig), not at its end', () => {
    const root = tree({ 'clusters/prod-1/calico/x.yaml': DOC, 'clusters/prod-1/calico/x.yaml.orig': DOC });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root })))).toEqual([
      `${path.join(root, 'clusters', 'prod-1', 'calico', 'x.yaml.orig')}: expected only YAML manifest files (*.yaml, *.yml) in an addon folder`,
    ]);
    const values = tree({ 'calico.yaml': 'a: 1\n', 'calico.yml.orig': 'a: 2\n' });
    expect(problemsOf(() => loadAddonSources(fleetWith({ values })))).toEqual([
      `${path.join(values, 'calico.yml.orig')}: expected <addon>.yaml values files (or the folders clusters/ and providers/)`,
    ]);
  });

  test('fails if a folder name is not a DNS label, and reads nothing in it (one problem, not one per file inside)', () => {
    const root = tree({ 'clusters/Prod_1/calico/notes.txt': '# no\n', 'clusters/prod-1/Calico_2/notes.txt': '# no\n' });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root })))).toEqual([
      expect.stringMatching(new RegExp(`^${escaped(path.join(root, 'clusters', 'Prod_1'))}: folder or file name `)),
      expect.stringMatching(new RegExp(`^${escaped(path.join(root, 'clusters', 'prod-1', 'Calico_2'))}: folder or file name `)),
    ]);
  });

  test('fails if an addon is larger than a ConfigMap can hold, with its size', () => {
    const big = `a: "${'x'.repeat(MAX_CONFIGMAP_BYTES / 2)}"\n`;
    const root = tree({ 'clusters/prod-1/calico/a.yaml': big, 'clusters/prod-1/calico/b.yaml': big });
    const bytes = 2 * (Buffer.byteLength(big) + 'a.yaml'.length);
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: root })))).toEqual([
      `${path.join(root, 'clusters', 'prod-1', 'calico')}: holds ${bytes} bytes of manifests, `
      + `more than the ${MAX_CONFIGMAP_BYTES} a ConfigMap can carry; split the addon`,
    ]);
  });

  test('an addon of exactly a ConfigMap\'s size is read', () => {
    const name = 'a.yaml';
    const text = `a: "${'x'.repeat(MAX_CONFIGMAP_BYTES - name.length - 6)}"\n`;
    expect(name.length + Buffer.byteLength(text)).toBe(MAX_CONFIGMAP_BYTES);
    const root = tree({ [`clusters/prod-1/calico/${name}`]: text });
    expect(loadAddonSources(fleetWith({ manifests: root })).manifests.clusters.get('prod-1')!.get('calico')!.get(name)).toBe(text);
  });

  test('fails if a manifest is malformed YAML, with its line', () => {
    const root = tree({ 'clusters/prod-1/calico/x.yaml': 'a: 1\nb: [\n' });
    const [problem] = problemsOf(() => loadAddonSources(fleetWith({ manifests: root })));
    expect(problem).toMatch(new RegExp(`x\\.yaml:\\d+: \\(syntax\\): malformed YAML: `));
  });

  test('fails if a link sits in an addon folder, and never follows it', () => {
    const root = tree({ 'clusters/prod-1/calico/x.yaml': DOC });
    const outside = tree({ 'secret.yaml': 'password: hunter2\n' });
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'clusters', 'prod-1', 'calico', 'y.yaml'));
    const problems = problemsOf(() => loadAddonSources(fleetWith({ manifests: root })));
    expect(problems).toEqual([
      `${path.join(root, 'clusters', 'prod-1', 'calico', 'y.yaml')}: (file): is a symbolic link; expected only YAML manifest files (*.yaml, *.yml) `
      + 'in an addon folder; dkp-fleet does not follow links or read special files in addon folders',
    ]);
  });

  test('fails if the folder the fleet names is not a folder, naming the field', () => {
    const file = tree({ 'x.yaml': DOC });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests: path.join(file, 'x.yaml') }))))
      .toEqual([expect.stringMatching(/^spec\.konvoy\.addons\.manifests: .*x\.yaml.* is not a readable folder$/)]);
    expect(problemsOf(() => loadAddonSources(fleetWith({ values: path.join(file, 'missing') }))))
      .toEqual([expect.stringMatching(/^spec\.konvoy\.addons\.values: .*missing.* is not a readable folder$/)]);
  });
});

describe('addon values (spec.konvoy.addons.values)', () => {
  test('reads <addon>.yaml at the top, and under clusters/<cluster>/ and providers/<provider>/', () => {
    const root = tree({
      'calico.yaml': 'shared: 1\n',
      'clusters/prod-1/calico.yml': 'cluster: 1\n',
      'providers/aws/cert-manager.yaml': 'provider: 1\n',
    });
    const { values, manifests } = loadAddonSources(fleetWith({ values: root }));
    expect([...values.shared.entries()]).toEqual([['calico', 'shared: 1\n']]);
    expect([...values.clusters.get('prod-1')!.entries()]).toEqual([['calico', 'cluster: 1\n']]);
    expect([...values.providers.get('aws')!.entries()]).toEqual([['cert-manager', 'provider: 1\n']]);
    expect(manifests.clusters.size + manifests.providers.size).toBe(0);
  });

  test('fails if anything but <addon>.yaml files sits in a values folder', () => {
    const root = tree({ 'notes.txt': 'x\n', 'clusters/prod-1/calico/x.yaml': DOC });
    expect(problemsOf(() => loadAddonSources(fleetWith({ values: root })))).toEqual([
      `${path.join(root, 'clusters', 'prod-1', 'calico')}: expected <addon>.yaml values files (or the folders clusters/ and providers/)`,
      `${path.join(root, 'notes.txt')}: expected <addon>.yaml values files (or the folders clusters/ and providers/)`,
    ]);
  });

  test('fails if a folder named clusters or providers sits below the top of a values folder', () => {
    const root = tree({ 'clusters/prod-1/providers/x.yaml': DOC, 'providers/aws/clusters/y.yaml': DOC });
    expect(problemsOf(() => loadAddonSources(fleetWith({ values: root })))).toEqual([
      `${path.join(root, 'clusters', 'prod-1', 'providers')}: expected <addon>.yaml values files (or the folders clusters/ and providers/)`,
      `${path.join(root, 'providers', 'aws', 'clusters')}: expected <addon>.yaml values files (or the folders clusters/ and providers/)`,
    ]);
  });

  test('fails if clusters/ in a values folder is a file, naming the folder expected', () => {
    const root = tree({ providers: 'x\n' });
    expect(problemsOf(() => loadAddonSources(fleetWith({ values: root }))))
      .toEqual([`${path.join(root, 'providers')}: expected a folder of provider folders`]);
  });

  test('fails if an addon name is not a DNS label', () => {
    const root = tree({ 'Calico.yaml': 'a: 1\n' });
    expect(problemsOf(() => loadAddonSources(fleetWith({ values: root }))))
      .toEqual([expect.stringMatching(new RegExp(`Calico\\.yaml: folder or file name `))]);
  });

  test('both folders are reported together', () => {
    const manifests = tree({ 'clusters/prod-1/calico.yaml': DOC });
    const values = tree({ 'x.txt': '' });
    expect(problemsOf(() => loadAddonSources(fleetWith({ manifests, values })))).toHaveLength(2);
  });
});
