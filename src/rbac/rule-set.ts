import { AccessRule, Verb } from './access-plan';
import { resourceOf } from '../gates/kinds/kind';
import { compareStrings } from '../input/compare';

/** RBAC rules as they are gathered: the objects they concern, merged into sorted rules. */

const ruleKey = (r: AccessRule) => `${r.namespace ?? ''}\u0000${r.group}\u0000${r.resource}\u0000${r.verbs.join(',')}`;

/** Orders rules: cluster-scoped first, then by namespace, group, resource, verbs. */
export function compareRules(a: AccessRule, b: AccessRule): number {
  return compareStrings(ruleKey(a), ruleKey(b));
}

/** An object a layer applies or checks, on the layer's target cluster. */
export interface Target {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export const target = (apiVersion: string, kind: string, name: string, namespace?: string): Target => {
  const r = resourceOf({ apiVersion, kind });
  return { group: r.group, resource: r.resource, kind, name, ...(namespace !== undefined ? { namespace } : {}) };
};

/** Collects rules, merging the names and verbs of one resource. */
export class RuleSet {
  private readonly rules = new Map<string, { rule: Omit<AccessRule, 'verbs' | 'resourceNames'>; verbs: Set<Verb>; names?: Set<string> }>();

  /** Adds verbs on one resource; `name` limits them to named objects (merged with other names of the same verbs). */
  public add(t: Omit<Target, 'name'>, verbs: readonly Verb[], name?: string): void {
    const key = `${t.namespace ?? ''}\u0000${t.group}\u0000${t.resource}\u0000${[...verbs].sort().join(',')}\u0000${name === undefined ? '*' : 'named'}`;
    let entry = this.rules.get(key);
    if (entry === undefined) {
      entry = {
        rule: { group: t.group, resource: t.resource, kind: t.kind, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}) },
        verbs: new Set(verbs),
        ...(name !== undefined ? { names: new Set<string>() } : {}),
      };
      this.rules.set(key, entry);
    }
    if (name !== undefined) entry.names!.add(name);
  }

  /** The rules, sorted; a named rule made redundant by an unnamed one with the same verbs is dropped. */
  public list(): AccessRule[] {
    const out: AccessRule[] = [];
    for (const [key, e] of this.rules) {
      if (e.names !== undefined && this.rules.has(key.replace(/named$/, '*'))) continue;
      out.push({ ...e.rule, verbs: [...e.verbs].sort(), ...(e.names !== undefined ? { resourceNames: [...e.names].sort() } : {}) });
    }
    return out.sort((a, b) => compareRules(a, b) || compareStrings((a.resourceNames ?? []).join(','), (b.resourceNames ?? []).join(',')));
  }
}
