import { CheckKind } from './kind';

/** Readiness as kstatus computes it: a Job completed, a barrier's dependencies Ready. */
export const READY: CheckKind<'ready'> = {
  describe: (c) => (c.kind === 'Job' ? 'completes' : 'Ready'),
  kstatus: true,
  celExact: true,
  detectsFailure: true,
};

/** Existence: a ClusterApp or a machine template has no status; kstatus calls it Current once it exists. */
export const EXISTS: CheckKind<'exists'> = {
  describe: () => 'exists',
  kstatus: true,
  celExact: true,
  detectsFailure: false,
};
