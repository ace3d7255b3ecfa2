import { loadCatalog } from '../../src/catalog/load-catalog';
import { loadAddonSources } from '../../src/fleet/addon-sources';
import { parseFleet } from '../../src/fleet/load-fleet';
import { planFleet } from '../../src/planner/plan-fleet';
import { baseFleet, problemsOf, toYaml } from '../helpers';

const problems = (fleet: unknown) => problemsOf(() => parseFleet(toYaml(fleet), 'fleet.yaml'));

describe('hostile values in a fleet file', () => {
  test('fails if a version has numbers too large to compare, instead of an internal error', () => {
    const f = baseFleet();
    f.spec.management.kubernetesVersion = '1.21.99999999999999999999';
    f.spec.release = '2.99999999999999999.1';
    expect(problems(f)).toEqual([
      'fleet.yaml:6: spec.release: "2.99999999999999999.1" is not a DKP release; expected MAJOR.MINOR.PATCH such as 2.2.1',
      'fleet.yaml:14: spec.management.kubernetesVersion: "1.21.99999999999999999999" is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
    ]);
  });
});

describe('messages about odd values', () => {
  test('fails if a number is infinite, saying so rather than "null"', () => {
    const f = baseFleet();
    f.spec.workspaces[0].clusters[0].wave = Infinity;
    expect(problems(f)).toEqual(['fleet.yaml:28: spec.workspaces[0].clusters[0].wave: expected a whole number from 1 to 1000, got a number (Infinity)']);
  });

  test('fails if the document is not a mapping, naming the document rather than an empty path', () => {
    expect(problemsOf(() => parseFleet('- a\n- b\n', 'fleet.yaml'))).toEqual(['fleet.yaml:1: (document): expected a mapping, got a list']);
  });
});

describe('inputs built to exhaust memory or the stack', () => {
  const text = (s: string) => problemsOf(() => parseFleet(s, 'fleet.yaml'));

  test('fails if the file holds more YAML values than a fleet needs, before the parser builds them', () => {
    const start = Date.now();
    expect(text(`apiVersion: dkp-fleet/v1alpha1\nspec:\n  workspaces: [${'1,'.repeat(600000)}1]\n`)).toEqual([
      'fleet.yaml: (document): holds more than 500000 YAML values; at most 500000 are accepted (a 5,000-cluster fleet has about 100,000)',
    ]);
    expect(text(`spec:\n  workspaces:\n${'    - {name: x}\n'.repeat(200000)}`)).toEqual([
      'fleet.yaml: (document): holds more than 500000 YAML values; at most 500000 are accepted (a 5,000-cluster fleet has about 100,000)',
    ]);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('fails if collections nest deeper than the parser can recurse, without a stack-dependent line', () => {
    const deep = [
      `a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
      `a: ${'{a: '.repeat(20000)}1${'}'.repeat(20000)}\n`,
      `${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`,
    ];
    for (const d of deep) expect(text(d)).toEqual(['fleet.yaml: (document): nests collections too deeply to be read; a fleet file needs a few levels only']);
  });
});

describe('user strings in messages', () => {
  test('fails if keys carry terminal escapes, newlines, bidi overrides or C1 controls, printing them escaped', () => {
    // The first key holds '[', which the line locator reads as an index: it names the line of metadata.
    const keys = ['"\\e[2J\\e[31mevil"', '"a\\nb"', '"a\\u202Eb"', '"a\\x9bb"', '"a\\x7fb"'];
    const text = `apiVersion: dkp-fleet/v1alpha1\nkind: Fleet\nmetadata:\n  name: x\n${keys.map((k) => `  ${k}: 1\n`).join('')}`;
    expect(problemsOf(() => parseFleet(text, 'fleet.yaml')).filter((p) => p.includes('metadata.'))).toEqual([
      'fleet.yaml:3: metadata.\\u001b[2J\\u001b[31mevil: unknown field; allowed fields: name',
      'fleet.yaml:6: metadata.a\\u000ab: unknown field; allowed fields: name',
      'fleet.yaml:7: metadata.a\\u202eb: unknown field; allowed fields: name',
      'fleet.yaml:8: metadata.a\\u009bb: unknown field; allowed fields: name',
      'fleet.yaml:9: metadata.a\\u007fb: unknown field; allowed fields: name',
    ]);
  });

  test('fails if a key is huge, cutting the path it names', () => {
    const text = `apiVersion: dkp-fleet/v1alpha1\nkind: Fleet\nmetadata:\n  name: x\n  ? ${'k'.repeat(100000)}\n  : 1\n`;
    const [p] = problemsOf(() => parseFleet(text, 'fleet.yaml')).filter((x) => x.includes('metadata.'));
    expect(p).toBe(`fleet.yaml:5: metadata.${'k'.repeat(188)}...: unknown field; allowed fields: name`);
  });
});

describe('app names that are also JavaScript object members', () => {
  test('fails if an app is named "constructor": not an app of the release (it was an internal error or an AppDeployment of "constructor-undefined")', () => {
    const f = baseFleet();
    f.spec.management.platformApps = ['constructor'];
    f.spec.workspaces[0].catalogApps = ['constructor'];
    const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
    expect(problemsOf(() => planFleet(fleet, loadCatalog(), loadAddonSources(fleet)))).toEqual([
      'spec.management.platformApps[0].name: "constructor" is not a platform app of release 2.2.0; '
      + 'its platform apps are listed in src/catalog/releases/2.2.0.yaml',
      'spec.workspaces[0].catalogApps[0].name: "constructor" is not a catalog app of release 2.2.0; '
      + 'catalog apps: kafka-operator, spark-operator, zookeeper-operator',
    ]);
  });
});
