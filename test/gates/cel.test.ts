import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { healthCheckExprs } from '../../src/gates/cel';
import { Expectation, HealthCheck } from '../../src/planner/layer';
import { describeWithShared, SHARED } from '../helpers';

/**
 * How CEL health expressions are put together. What each expression means is proven against the
 * controllers' status sequences in timelines.test.ts; these tests cover the shape Flux needs.
 */

function check(kind: string, apiVersion: string, expect: Expectation, name = 'x', namespace = 'ns'): HealthCheck {
  return { apiVersion, kind, name, namespace, expect, applied: true };
}

describe('CEL health expressions', () => {
  test('one entry per API group and kind (Flux honours the first entry of each), whatever the versions', () => {
    const exprs = healthCheckExprs([
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release', chartVersion: '1.0.0' }, 'a'),
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2', { type: 'helm-release', chartVersion: '2.0.0' }, 'b'),
      check('KubeadmControlPlane', 'controlplane.cluster.x-k8s.io/v1beta1', { type: 'control-plane', version: 'v1.22.8' }),
    ]);
    expect(exprs.map((e) => `${e.apiVersion} ${e.kind}`)).toEqual([
      'controlplane.cluster.x-k8s.io/v1beta1 KubeadmControlPlane',
      'helm.toolkit.fluxcd.io/v2beta1 HelmRelease',
    ]);
    // two objects of one kind with different targets: a map keyed by namespace/name
    expect(exprs[1].current).toContain("{'ns/a': ['1.0.0', 'v1.0.0'], 'ns/b': ['2.0.0', 'v2.0.0']}");
  });

  test('a target shared by every object of the kind is written as a literal', () => {
    const [e] = healthCheckExprs([
      check('MachineDeployment', 'cluster.x-k8s.io/v1beta1', { type: 'machine-deployment', version: 'v1.22.8' }, 'a'),
      check('MachineDeployment', 'cluster.x-k8s.io/v1beta1', { type: 'machine-deployment', version: 'v1.22.8' }, 'b'),
    ]);
    expect(e.current).toContain("spec.template.spec.version == 'v1.22.8'");
    expect(e.current).not.toContain("'ns/a'");
  });

  test('kinds kstatus decides (existence, readiness) get no expression', () => {
    expect(healthCheckExprs([
      check('ClusterApp', 'apps.kommander.d2iq.io/v1alpha2', { type: 'exists' }),
      check('Job', 'batch/v1', { type: 'ready' }),
    ])).toEqual([]);
  });

  test('string values are quoted for CEL', () => {
    const [e] = healthCheckExprs([check('KubeadmControlPlane', 'controlplane.cluster.x-k8s.io/v1beta1', { type: 'control-plane', version: "v1'x\\y" })]);
    expect(e.current).toContain("spec.version == 'v1\\'x\\\\y'");
  });

  test('fails if one kind is checked for two different things in one layer', () => {
    expect(() => healthCheckExprs([
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'helm-release' }),
      check('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', { type: 'ready' }),
    ])).toThrow('internal: checks of helm.toolkit.fluxcd.io|HelmRelease expect different things: helm-release, ready');
  });
});

describeWithShared('the fields CEL expressions read', () => {
  /** Every `status.x` / `spec.x.y` path an expression reads (a method call such as `.exists(` ends the path). */
  const paths = (expr: string) => [...expr.matchAll(/\b(status|spec)((?:\.[a-zA-Z]+)+)/g)].map((m) => {
    const p = `${m[1]}${m[2]}`;
    return expr[m.index! + m[0].length] === '(' ? p.replace(/\.[a-zA-Z]+$/, '') : p;
  }).filter((p) => !/\.(startsWith|endsWith)$/.test(p));
  const schemaHas = (schema: any, p: string) => p.split('.').every((k) => {
    schema = schema?.properties?.[k] ?? schema?.items?.properties?.[k];
    return schema !== undefined;
  });
  /** Every served version's schema of a CRD: a field a check reads must exist in one of them. */
  const schemas = (file: string, versions?: readonly string[]) => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(SHARED, 'crds', file), 'utf8')).map((d) => d.toJS());
    return docs[0].spec.versions.filter((v: any) => versions === undefined || versions.includes(v.name)).map((v: any) => v.schema.openAPIV3Schema);
  };
  const cases: [string, string, readonly string[] | undefined, Expectation][] = [
    ['KubeadmControlPlane', 'cluster-api/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml', ['v1beta1'], { type: 'control-plane', version: 'v1' }],
    ['KubeadmControlPlane', 'cluster-api/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml', ['v1alpha4'], { type: 'control-plane', version: 'v1' }],
    ['MachineDeployment', 'cluster-api/cluster.x-k8s.io_machinedeployments.yaml', ['v1beta1'], { type: 'machine-deployment', version: 'v1' }],
    ['MachineDeployment', 'cluster-api/cluster.x-k8s.io_machinedeployments.yaml', ['v1alpha4'], { type: 'machine-deployment', version: 'v1' }],
    ['Cluster', 'cluster-api/cluster.x-k8s.io_clusters.yaml', ['v1beta1'], { type: 'topology', version: 'v1' }],
    ['CoreProvider', 'cluster-api-operator/operator.cluster.x-k8s.io_coreproviders.yaml', ['v1alpha2'], { type: 'provider', version: 'v1' }],
    ['InfrastructureProvider', 'cluster-api-operator/operator.cluster.x-k8s.io_infrastructureproviders.yaml', ['v1alpha2'],
      { type: 'provider-installed', versions: ['v1'] }],
    ['HelmChartProxy', 'cluster-api-addon-provider-helm/addons.cluster.x-k8s.io_helmchartproxies.yaml', ['v1alpha1'],
      { type: 'helm-chart-proxy', version: 'v3.22.1' }],
    ['ClusterResourceSet', 'cluster-api/addons.cluster.x-k8s.io_clusterresourcesets.yaml', ['v1beta1'], { type: 'resource-set' }],
    // helm-controller's CRD serves v2 only here: the v2beta1 fields the check falls back to are in docs/facts/flux-features.md
    ['HelmRelease', 'fluxcd-helm-controller/helm.toolkit.fluxcd.io_helmreleases.yaml', undefined, { type: 'helm-release', chartVersion: '1.0.0' }],
  ];
  test.each(cases)('%s (%s, %s) has every field its expressions read', (kind, file, versions, expectation) => {
    const all = schemas(file, versions);
    const [e] = healthCheckExprs([check(kind, 'g/v', expectation)]);
    const read = [...new Set([...paths(e.current), ...paths(e.failed ?? '')])];
    expect(read.length).toBeGreaterThan(0);
    const v2beta1Only = kind === 'HelmRelease' ? ['status.lastAppliedRevision'] : [];
    expect(read.filter((p) => !v2beta1Only.includes(p) && !all.some((s: any) => schemaHas(s, p)))).toEqual([]);
  });
});
