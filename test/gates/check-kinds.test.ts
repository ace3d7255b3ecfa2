import { describeCheck } from '../../src/gates/check-kinds';
import { HealthCheck } from '../../src/planner/layer';

/** PLAN.md's sentence for a readiness check: a Job gate completes, anything else is Ready (kstatus). */
describe('describeCheck of readiness', () => {
  const ready = (kind: string, apiVersion: string): HealthCheck => ({ apiVersion, kind, name: 'x', namespace: 'ns', expect: { type: 'ready' } } as HealthCheck);

  test('a Job completes', () => {
    expect(describeCheck(ready('Job', 'batch/v1'))).toBe('completes');
  });

  test('a Kustomization is Ready', () => {
    expect(describeCheck(ready('Kustomization', 'kustomize.toolkit.fluxcd.io/v1'))).toBe('Ready');
  });
});

/** PLAN.md's sentences for the Cluster API provider checks. */
describe('describeCheck of providers', () => {
  const check = (expect: HealthCheck['expect']): HealthCheck =>
    ({ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'CoreProvider', name: 'cluster-api', namespace: 'capi-system', expect } as HealthCheck);

  test('a provider the operator installs says the version and every condition it waits for', () => {
    expect(describeCheck(check({ type: 'provider', version: 'v1.4.4' } as HealthCheck['expect'])))
      .toBe('installed at v1.4.4 by the operator: generation observed, Ready, preflight passed, not failing an upgrade');
  });

  test('the premise that the operator manages a provider names the versions, or says none is recorded', () => {
    expect(describeCheck(check({ type: 'provider-installed', versions: ['v1.1.3', 'v1.4.4'] } as HealthCheck['expect'])))
      .toBe('managed by cluster-api-operator, installed at v1.1.3 or v1.4.4');
    expect(describeCheck(check({ type: 'provider-installed', versions: [] } as HealthCheck['expect'])))
      .toBe('managed by cluster-api-operator, installed at some version (the current release does not record which)');
  });
});
