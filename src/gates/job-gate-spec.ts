import { createHash } from 'crypto';
import { gateScript, readsOf } from './gate-script';
import { Read } from './kinds/kind';
import { HealthCheck } from '../planner/layer';

/** What a Job gate waits for, and where it runs. */
export interface JobGateRequest {
  /** Namespace of the Job and its ServiceAccount on the layer's target cluster. */
  readonly namespace: string;
  /** A name stable across runs of the same layer: ServiceAccount, Roles, RoleBindings. */
  readonly name: string;
  readonly image: string;
  readonly checks: readonly HealthCheck[];
  /** A script of its own (a rollout control), with what it reads. @default - the gate script of `checks` */
  readonly own?: { readonly script: string; readonly reads: readonly Read[] };
  /** Pod failures before the Job fails. @default GATE_BACKOFF_LIMIT (the construct's) */
  readonly backoffLimit?: number;
}

/** A Job gate with its script, the Job's name and what it reads. */
export interface JobGateSpec extends JobGateRequest {
  /** The shell script the Job runs ({@link gateScript}). */
  readonly script: string;
  /** The Job's name: it changes when what it waits for changes (Jobs are immutable). */
  readonly jobName: string;
  /** What the script reads: its RBAC. */
  readonly reads: readonly Read[];
}

/** Builds the gate's script once, and names the Job after it and the image. */
export function jobGateSpec(request: JobGateRequest): JobGateSpec {
  const script = request.own?.script ?? gateScript(request.checks);
  const hash = createHash('sha256').update(request.image).update(script).digest('hex').slice(0, 10);
  return { ...request, script, jobName: `dkp-fleet-gate-${hash}`, reads: request.own?.reads ?? readsOf(request.checks) };
}
