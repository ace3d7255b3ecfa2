import { BACKUP } from './kinds/backup';
import { EXISTS, READY } from './kinds/basic';
import { CONTROL_PLANE } from './kinds/control-plane';
import { HELM_CHART_PROXY } from './kinds/helm-chart-proxy';
import { HELM_RELEASE } from './kinds/helm-release';
import { CheckKind, CheckOf } from './kinds/kind';
import { MACHINE_DEPLOYMENT } from './kinds/machine-deployment';
import { PREMISE } from './kinds/premise';
import { PROVIDER, PROVIDER_INSTALLED } from './kinds/provider';
import { RESOURCE_SET, RESOURCE_SET_BINDING } from './kinds/resource-set';
import { ROLLOUT } from './kinds/rollout';
import { TOPOLOGY } from './kinds/topology';
import { Expectation, HealthCheck } from '../planner/layer';

/** Every kind of check, by expectation type: the one place a check's meaning is written. */
export const CHECK_KINDS: { readonly [T in Expectation['type']]: CheckKind<T> } = {
  'ready': READY,
  'exists': EXISTS,
  'helm-release': HELM_RELEASE,
  'backup-completed': BACKUP,
  'control-plane': CONTROL_PLANE,
  'machine-deployment': MACHINE_DEPLOYMENT,
  'topology': TOPOLOGY,
  'provider': PROVIDER,
  'provider-installed': PROVIDER_INSTALLED,
  'rollout': ROLLOUT,
  'helm-chart-proxy': HELM_CHART_PROXY,
  'resource-set': RESOURCE_SET,
  'resource-set-binding': RESOURCE_SET_BINDING,
  'premise': PREMISE,
};

/** The kind of a check. */
export function kindOf<T extends Expectation['type']>(c: CheckOf<T>): CheckKind<T> {
  return CHECK_KINDS[c.expect.type as T];
}

/** PLAN.md's sentence for a check. */
export function describeCheck(c: HealthCheck): string {
  return (CHECK_KINDS[c.expect.type] as CheckKind<Expectation['type']>).describe(c as CheckOf<Expectation['type']>);
}
