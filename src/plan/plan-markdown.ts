import { Plan } from '../planner/plan-fleet';
import { Rendered } from '../render/render-plan';

/** dist/PLAN.md: the layers in the order Flux runs them (a first cut; issue 5 completes it). */
export function renderPlanMarkdown(plan: Plan, rendered: Rendered): string {
  const lines = [`# Upgrade plan: fleet ${plan.fleet.name}`, ''];
  lines.push(`DKP ${plan.currentRelease ? `${plan.currentRelease.version} -> ` : ''}${plan.release.version}; layers run by ${rendered.profile.description}.`, '');
  plan.layers.forEach((l, i) => {
    lines.push(`${i + 1}. \`${l.name}\`: ${l.summary}${l.dependsOn.length > 0 ? ` (after ${l.dependsOn.map((d) => `\`${d}\``).join(', ')})` : ''}`);
  });
  return `${lines.join('\n')}\n`;
}
