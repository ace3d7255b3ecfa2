import { GatePlan } from '../gates/gate-plan';
import { Layer } from '../planner/layer';
import { Plan } from '../planner/plan-fleet';

/**
 * PLAN.md's "Rollout controls": what is held and the edit that releases it, each soak and each
 * failure budget, in words a reviewer can check against the layers below.
 */
export function rolloutNotes(plan: Plan, gates: GatePlan, fleetFile: string): string[] {
  const f = plan.fleet;
  const out: string[] = [];
  const suspended = plan.layers.filter((l) => l.suspend);
  const file = (l: Layer) => `dist/fleet/${l.name}.yaml`;
  const waveOf = (l: Layer) => ('wave' in l.scope ? l.scope.wave : undefined);
  const budgeted = new Set(plan.layers.filter((l) => l.kind === 'wave-budget').map(waveOf));
  for (const h of f.rollout.hold) {
    const wave = /^wave-(\d+)$/.exec(h);
    const held = suspended.filter((l) => (wave ? l.scope.type !== 'management' && 'wave' in l.scope && l.scope.wave === Number(wave[1])
      : l.scope.type === 'cluster' && `cluster-${l.scope.cluster}` === h));
    out.push(`**${h} is held**: ${held.map((l) => `\`${l.name}\``).join(', ')} ${held.length === 1 ? 'is' : 'are'} written with \`suspend: true\`, `
      + `so nothing of ${wave ? `wave ${wave[1]}` : `cluster ${h.slice('cluster-'.length)}`} starts, and what waits on it waits. To release it, `
      + `remove \`${h}\` from spec.rollout.hold in ${fleetFile}, synthesize and commit: the diff is \`suspend: true\` leaving `
      + `${held.map(file).join(', ')}. Work already running when a hold is committed goes on (a Cluster API rollout finishes); Flux applies `
      + 'nothing further of the held layers.'
      + (held.some((l) => budgeted.has(waveOf(l))) ? ' Its wave\'s failure budget waits for it: a held cluster is neither finished nor failed.' : ''));
  }
  for (const l of plan.layers) {
    const g = l.rolloutGate;
    if (g === undefined) continue;
    const job = gates.jobGates.get(l.name)!;
    const names = g.clusters.map((c) => c.cluster).join(', ');
    if (g.type === 'soak') {
      const watched = g.clusters.reduce((n, c) => n + c.layers.length, 0);
      out.push(`**Wave ${g.wave} soaks for ${g.duration}** (\`${l.name}\`): what comes after starts ${g.duration} after wave ${g.wave} finished, `
        + `if none of the ${watched} layers of its clusters (${names}) failed meanwhile: Ready=False for another reason than DependencyNotReady, `
        + 'or Stalled, at the current revision. Flux re-checks each layer every interval '
        + `(${f.flux.interval}); an object that is not ready turns its layer False after the layer's timeout (${f.flux.timeout}), one that failed `
        + `at once. A commit that changes wave ${g.wave}'s layers or the soak restarts it (a new Job); other commits do not. A failed soak stays `
        + `failed: fix the cause, then \`kubectl delete job -n ${job.namespace} ${job.jobName}\` and Flux runs it again.`);
    } else {
      out.push(`**Wave ${g.wave} may lose ${g.maxFailures} of its ${g.clusters.length} clusters** (\`${l.name}\`: ${names}): its Job counts each `
        + 'cluster finished (its last layer Ready at the current revision; a Ready from an earlier commit does not count) or failed (one of its '
        + 'layers Ready=False for another reason than DependencyNotReady, such as a timed-out health check or a failed gate, or Stalled, at the '
        + `current revision); what comes after starts once every cluster is counted and at most ${g.maxFailures} failed, and the wave fails as soon `
        + `as more did. A failed cluster's later layers stay blocked until it is fixed (its chain then resumes; the wave is not counted again).`);
    }
  }
  return out;
}
