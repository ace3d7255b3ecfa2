// The report of a large fleet: linear in the number of layers, and lines that stay readable (the
// JSON has every name, the text the first ten).
import { FluxKustomization } from '../../src/status/flux-objects';
import { renderStatus, renderStatusJson } from '../../src/status/render';
import { statusReport, StatusReport } from '../../src/status/report';

const R = `main@sha1:${'2'.repeat(40)}`;

/** A plan of `n` chained layers: the first 1,000 before any wave, then wave 1 + floor(i / 4,000) (only what the report reads). */
function bigPlan(n: number): any {
  const layers = Array.from({ length: n }, (_, i) => {
    const wave = i < 1000 ? undefined : 1 + Math.floor(i / 4000);
    return {
      name: `l-${i}`, kind: wave ? 'core-addons' : 'platform-apps', target: { management: true },
      scope: wave ? { type: 'cluster', cluster: `c${i}`, workspace: 'w', clusterType: 'managed', wave } : { type: 'management' },
      dependsOn: i === 0 ? [] : i === n - 1 ? Array.from({ length: 30 }, (_, j) => `l-${n - 2 - j}`) : [`l-${i - 1}`],
      ...(i === 0 ? { externalDependsOn: [{ name: 'dkp-fleet', namespace: 'flux-system' }] } : {}),
    };
  });
  return {
    fleet: { name: 'big', flux: { mode: 'hub', namespace: 'flux-system', sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' },
      bootstrap: { name: 'dkp-fleet', namespace: 'flux-system' }, path: './dist' } },
    release: { version: '2.2.0' },
    layers,
  };
}

describe('the report of a large fleet', () => {
  test('40,000 layers, half of them missing: a report in seconds, summary lines of at most ten names', () => {
    const plan = bigPlan(40000);
    const ks = (name: string, lastAppliedRevision: string): FluxKustomization => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', name, namespace: 'flux-system', labels: {}, suspend: false, generation: 1, observedGeneration: 1,
      lastAppliedRevision, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }],
    });
    const kustomizations = [...plan.layers.slice(0, 20000).map((l: { name: string }) => ks(l.name, R)), ks('l-39999', 'main@sha1:1'), ks('dkp-fleet', R)];
    const start = Date.now();
    const report: StatusReport = statusReport(plan, { kustomizations, sources: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository',
      name: 'fleet', namespace: 'flux-system', revision: R, conditions: [] }] }, { fleetFile: 'fleet.yaml', snapshotFile: 'ks.yaml' });
    const text = renderStatus(report);
    renderStatusJson(report);
    expect(Date.now() - start).toBeLessThan(15000);
    expect(report.active).toMatchObject({ stage: 'wave 6', wave: 6, blocker: 'next', blockedBy: [{ name: 'l-20000', state: 'missing' }] });
    expect(text).toContain('\nmissing: l-20000, l-20001, l-20002, l-20003, l-20004, l-20005, l-20006, l-20007, l-20008, l-20009 and 19989 more '
      + '(not created yet: the bootstrap Kustomization flux-system/dkp-fleet creates it)\n');
    const last = report.layers[39999];
    expect([last.state, last.waitingOn?.length]).toEqual(['done-at-older-revision', 30]);
    expect(text).toContain('done at an older revision, waiting on l-39998 (missing), l-39997 (missing), l-39996 (missing), l-39995 (missing), '
      + 'l-39994 (missing), l-39993 (missing), l-39992 (missing), l-39991 (missing), l-39990 (missing), l-39989 (missing) and 20 more\n');
  });
});
