import { parseFleet } from '../../src/spec/load-fleet';
import { baseFleet, problemsOf, toYaml } from '../helpers';

const problems = (fleet: unknown) => problemsOf(() => parseFleet(toYaml(fleet), 'fleet.yaml'));

describe('hostile values in a fleet file', () => {
  test('fails if a version has numbers too large to compare, instead of an internal error', () => {
    const f = baseFleet();
    f.spec.management.kubernetesVersion = '1.21.99999999999999999999';
    f.spec.release = '2.99999999999999999.1';
    expect(problems(f)).toEqual([
      'fleet.yaml:6: spec.release: "2.99999999999999999.1" is not a DKP release; expected MAJOR.MINOR.PATCH such as 2.2.1',
      'fleet.yaml:11: spec.management.kubernetesVersion: "1.21.99999999999999999999" is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8',
    ]);
  });
});
