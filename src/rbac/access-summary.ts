import { AccessPlan, AccessRule, accessFolder, GateAccess, HUB, Identity } from './access-plan';
import { planAccess } from './plan-access';
import { GatePlan } from '../gates/gate-plan';
import { byKey } from '../input/compare';
import { Plan } from '../planner/plan-fleet';

/** How many namespaces a line names before it counts the rest. */
const NAMESPACES_SHOWN = 4;

const code = (s: string) => `\`${s}\``;
/** A cluster as PLAN.md names it. */
const clusterName = (cluster: string) => (cluster === HUB ? 'the hub' : cluster);

function namespaces(list: readonly (string | undefined)[]): string {
  const names = [...new Set(list.map((n) => n ?? ''))].sort();
  if (names.length === 1 && names[0] === '') return 'cluster-wide';
  const shown = names.map((n) => (n === '' ? 'cluster-wide' : n));
  const more = shown.length - NAMESPACES_SHOWN;
  return `in ${shown.slice(0, NAMESPACES_SHOWN).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** `AppDeployment in kommander, team-a (create/delete/patch)`: one entry per kind and verbs, by kind. */
function byKind(rules: readonly AccessRule[], withVerbs = true): string[] {
  const groups = new Map<string, { kind: string; verbs: string; namespaces: (string | undefined)[] }>();
  for (const r of rules) {
    const verbs = r.verbs.join('/');
    const key = `${r.kind}\u0000${verbs}`;
    const g = groups.get(key) ?? { kind: r.kind, verbs, namespaces: [] };
    g.namespaces.push(r.namespace);
    groups.set(key, g);
  }
  return [...groups.values()].sort(byKey((g) => g.kind))
    .map((g) => `${g.kind} ${namespaces(g.namespaces)}${withVerbs ? ` (${g.verbs})` : ''}`);
}

function how(i: Identity, plan: AccessPlan): string {
  const a = i.account;
  const sa = `ServiceAccount ${code(`${a.namespace}/${a.name}`)}`;
  if (a.kubeConfigSecret === undefined) {
    return `${sa}: the layers run on this cluster's own Flux: set \`spec.serviceAccountName: ${a.name}\` on them to run as it`;
  }
  const secret = code(`${a.kubeConfigSecret.namespace}/${a.kubeConfigSecret.name}`);
  const where = plan.hub ? 'the hub' : plan.management;
  return `${sa}: the layers reach ${clusterName(i.cluster)} with the kubeconfig Secret ${secret} on ${where}: give it this ServiceAccount's credentials`;
}

function identityLine(i: Identity, plan: AccessPlan): string {
  const what = i.type === 'management' ? 'management cluster'
    : i.type === 'hub' ? 'the hub, where Flux runs' : `${i.type} cluster${i.writes.length > 0 ? '' : ', read-only'}`;
  const reads = i.reads.filter((r) => r.resourceNames === undefined);
  const named = i.reads.filter((r) => r.resourceNames !== undefined);
  const readVerbs = [...new Set(reads.map((r) => r.verbs.join('/')))];
  const parts = [
    ...(i.writes.length > 0 ? [`Applies, by name: ${byKind(i.writes).join('; ')}`] : []),
    ...(reads.length === 0 ? [] : readVerbs.length === 1
      ? [`Reads (${readVerbs[0]}): ${byKind(reads, false).join('; ')}`]
      : [`Reads: ${byKind(reads).join('; ')}`]),
    ...(named.length > 0 ? [`Reads, by name: ${byKind(named).join('; ')}`] : []),
  ];
  const folder = accessFolder(i.cluster);
  return `- ${code(i.cluster)} (${what}): ${code(`${folder}/`)}, applied with \`kubectl apply -k ${folder}\` on ${clusterName(i.cluster)}. `
    + `${how(i, plan)}. ${parts.length > 0 ? parts.join('. ') : 'Nothing to read or write'}.`;
}

function gateLine(g: GateAccess): string {
  const where = g.cluster === HUB ? 'the hub' : code(g.cluster);
  return `- Job gate of ${code(g.layer)} on ${where}: ServiceAccount ${code(`${g.serviceAccount.namespace}/${g.serviceAccount.name}`)}, `
    + `its ${g.files.length === 1 ? 'Role' : 'Roles'} written and applied by the layer (${g.files.map(code).join(', ')}). `
    + `Reads only: ${byKind(g.rules).join('; ').replace(/ \(get\)/g, ' (get, by name)')}.`;
}

/**
 * PLAN.md's "Access" section, whole: its heading, one line per identity (where, which folder,
 * how the layers use it, the kinds and verbs in short) and one per gate Job's ServiceAccount,
 * ending with a blank line. The report calls it with the plan and its gates.
 */
export function accessSummary(plan: Plan, gates: GatePlan): string[];
export function accessSummary(access: AccessPlan): string[];
export function accessSummary(planOrAccess: Plan | AccessPlan, gates?: GatePlan): string[] {
  const access = 'layers' in planOrAccess ? planAccess(planOrAccess, gates!) : planOrAccess;
  const lines = [
    '## Access',
    '',
    'What each identity the layers use may do, as RBAC in `rbac/<cluster>/`. Flux never applies `rbac/`: an admin of each cluster applies '
      + 'its folder once, and again when a pull request changes it. Writes are limited to the objects by name; workspace clusters are only read'
      + (access.identities.some((i) => i.type !== 'management' && i.writes.length > 0) ? ', except for the Job gates their layers run there' : '')
      + '.',
    '',
    ...access.identities.map((i) => identityLine(i, access)),
  ];
  if (access.gates.length > 0) lines.push('', 'Job gates (their Roles live in the layer folders, read verbs only):', '', ...access.gates.map(gateLine));
  lines.push('');
  return lines;
}
