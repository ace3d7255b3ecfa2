import { CHECK_KINDS } from '../gates/check-kinds';
import { GatePlan } from '../gates/gate-plan';
import { jobProves } from '../gates/health-gate';
import { Plan } from '../planner/plan-fleet';

/** What PLAN.md's notes say of the gates: checks that prove less than they should, and Flux without a revision lock. */
export function gateNotes(plan: Plan, gates: GatePlan): string[] {
  const notes: string[] = [];
  const f = plan.fleet;
  // premises not checked get a note of their own, below
  const weak = (l: { name: string }) => gates.healthGates.get(l.name)!.readyOnly.filter((c) => c.expect.type !== 'premise');
  const readyOnlyLayers = plan.layers.filter((l) => weak(l).length > 0);
  if (readyOnlyLayers.length > 0) {
    const readyOnly = plan.layers.flatMap(weak);
    const unprovable = readyOnly.filter((c) => !jobProves(c));
    const needJob = readyOnly.filter((c) => jobProves(c));
    const celKinds = [...new Set(needJob.filter((c) => CHECK_KINDS[c.expect.type].cel !== undefined && gates.profile.healthCheckExprs).map((c) => c.kind))];
    const reasons = [
      ...(needJob.length > 0 && !gates.profile.healthCheckExprs ? [`${gates.profile.description} has no CEL health checks`] : []),
      ...(celKinds.length > 0 ? [`CEL cannot see whether the upgrade of a ${celKinds.join(' or ')} finished (only a Job can)`] : []),
      ...(needJob.length > 0 ? ['spec.flux.gateImage is not set, so no Job gate runs'] : []),
      ...(unprovable.length > 0
        ? [`the chart version of ${[...new Set(unprovable.map((c) => `${c.namespace}/${c.name}`))].join(', ')} is not known (custom apps)`]
        : []),
    ];
    const n = readyOnlyLayers.length;
    notes.push(`${n} layer${n === 1 ? '' : 's'} ${n === 1 ? 'is' : 'are'} ready-only for some checks, not version-checked (${reasons.join('; ')}): `
      + 'those checks can pass before the upgrade finished. Marked "ready-only" below.');
  }
  const unchecked = plan.layers.flatMap((l) => gates.healthGates.get(l.name)!.readyOnly).filter((c) => c.expect.type === 'premise');
  if (unchecked.length > 0) {
    const clusters = plan.layers.filter((l) => gates.healthGates.get(l.name)!.readyOnly.some((c) => c.expect.type === 'premise'))
      .map((l) => (l.scope.type === 'cluster' ? l.scope.cluster : f.management.name));
    notes.push(`Premise not checked for ${clusters.join(', ')}: ${gates.profile.description} has no CEL health checks and spec.flux.gateImage is not set, `
      + 'so nothing proves at run time that these clusters run the Kubernetes versions the fleet file gives. Compare the fleet file with the clusters '
      + 'first (`npm run inventory -- snapshot.yaml --compare`), or set spec.flux.gateImage.');
  }
  if (!gates.profile.revisionLock) {
    notes.push(`${gates.profile.description} has no revision lock in dependsOn (kustomize-controller checks source revisions from v0.19.0): `
      + 'a layer can start on a new commit while the layer before it is still Ready from the previous one. Merge one upgrade commit at a time and '
      + `let it finish (\`flux get kustomizations -n ${f.flux.namespace}\`).`);
  }
  return notes;
}
