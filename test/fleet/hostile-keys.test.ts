import { parseFleet } from '../../src/fleet/load-fleet';
import { problemsOf } from '../helpers';

/**
 * A fleet file is the user's, and may hold anything YAML can say. A mapping used as a key (`? {a: b}`)
 * is refused like any unknown field, and nothing but the problem lines reaches the terminal: no
 * Node warning (with the process id in it) from the YAML library.
 */
describe('a mapping used as a key', () => {
  afterEach(() => jest.restoreAllMocks());

  // Was a bug: src/input/yaml-source.ts parsed without logLevel, so the yaml package's toJS called
  // process.emitWarning("Keys with collection values will be stringified ...") and the CLI printed it after the problems.
  test('fails if a mapping is used as a key: refused as an unknown field, with no warning on the side', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const text = 'apiVersion: dkp-fleet/v1alpha1\nkind: Fleet\nmetadata:\n  name: x\n? {name: mgmt}\n: 1\nspec: {}\n';
    expect(problemsOf(() => parseFleet(text, 'fleet.yaml'))[0]).toMatch(/^fleet\.yaml:\d+: \{ name: mgmt \}: unknown field; allowed fields: /);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });
});
