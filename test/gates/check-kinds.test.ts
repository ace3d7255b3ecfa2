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
