import { loadCatalog } from '../../src/catalog/load-catalog';
import { Release } from '../../src/catalog/release';
import { parseFleet } from '../../src/fleet/load-fleet';
import { Problems } from '../../src/input/problems';
import { maxKubeletSkew, resolveKubernetes } from '../../src/planner/resolve-kubernetes';
import { baseFleet, toYaml } from '../helpers';

/**
 * The kubelet skew policy (https://kubernetes.io/releases/version-skew-policy/): a kubelet may be
 * 2 minors older than the API server below 1.25, 3 from 1.25 on. The table is the policy's, written
 * here, not read from src.
 */
describe('maxKubeletSkew', () => {
  test.each([
    ['1.19.16', 2], ['1.23.0', 2], ['1.24.0', 2], ['1.24.17', 2], ['1.25.0', 3], ['1.25.16', 3], ['1.26.3', 3], ['1.30.0', 3], ['2.0.0', 3],
  ])('a %s kubelet may be %i minors older than the API server', (kubelet, skew) => {
    expect(maxKubeletSkew(kubelet as string)).toBe(skew);
  });
});

describe('node pools against the skew policy, across the 1.25 cutover', () => {
  const catalog = loadCatalog();
  /** A release that supports 1.24 to 1.28 (no built-in release reaches 1.25: the policy changes there). */
  const release: Release = { ...catalog.get('2.2.0')!, kubernetes: { supported: '>=1.24.0 <1.29.0', default: '1.28.0' } };

  function problems(poolVersions: readonly string[]): string[] {
    const f = baseFleet();
    f.spec.workspaces = [];
    f.spec.management.kubernetesVersion = '1.27.4';
    f.spec.management.nodePools = poolVersions.map((v, i) => ({ name: `md-${i}`, kubernetesVersion: v }));
    const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
    const p = new Problems();
    const moves = resolveKubernetes(fleet, release, catalog, p);
    expect(moves.get('mgmt')).toEqual({ current: '1.27.4', target: '1.28.0' });
    return p.all.map((x) => `${x.path}: ${x.message}`);
  }

  test('accepts 1.25 kubelets 3 minors below the target, and newer ones', () => {
    expect(problems(['1.25.0', '1.25.16', '1.26.1', '1.27.4'])).toEqual([]);
  });

  test('fails if a 1.24 kubelet is 3 minors below the target: its policy allows 2', () => {
    expect(problems(['1.25.0', '1.24.17'])).toEqual([
      'spec.management.nodePools[1].kubernetesVersion: node pool "md-1" runs "1.24.17", more than 2 minors older than the control plane\'s target '
      + '"1.28.0" (kubelet skew policy); upgrade the pool to 1.26 or newer first',
    ]);
  });

  test('fails if a 1.25 kubelet is 4 minors below the target', () => {
    const f = baseFleet();
    f.spec.workspaces = [];
    f.spec.management.kubernetesVersion = '1.28.0';
    f.spec.management.targetKubernetesVersion = '1.29.0';
    f.spec.management.nodePools = [{ name: 'md-0', kubernetesVersion: '1.25.0' }];
    const wide: Release = { ...release, kubernetes: { supported: '>=1.24.0 <1.30.0', default: '1.29.0' } };
    const p = new Problems();
    const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
    resolveKubernetes(fleet, wide, catalog, p);
    expect(p.all.map((x) => x.message)).toEqual([
      'node pool "md-0" runs "1.25.0", more than 3 minors older than the control plane\'s target "1.29.0" (kubelet skew policy); '
      + 'upgrade the pool to 1.26 or newer first',
    ]);
  });

  test('without Konvoy (Kubernetes is not moved) a pool far behind is left to the operator, but never one newer than its control plane', () => {
    const f = baseFleet();
    f.spec.workspaces = [];
    f.spec.konvoy = { enabled: false };
    f.spec.management.kubernetesVersion = '1.27.4';
    f.spec.management.nodePools = [{ name: 'md-0', kubernetesVersion: '1.24.17' }, { name: 'md-1', kubernetesVersion: '1.27.9' }];
    const p = new Problems();
    const { fleet } = parseFleet(toYaml(f), 'fleet.yaml');
    resolveKubernetes(fleet, release, catalog, p);
    expect(p.all.map((x) => x.message)).toEqual([
      'node pool "md-1" runs "1.27.9", newer than its control plane "1.27.4"; kubelets may never be newer than the API server',
    ]);
  });
});
