import { CHECK_KINDS } from './check-kinds';
import { CheckKind, CheckOf, Read, ShellCheck, sq } from './kinds/kind';
import { Expectation, HealthCheck } from '../planner/layer';

/** Seconds between two reads of a check that is not done. */
export const POLL_SECONDS = 10;

/** The shell check of a health check, when its kind has one. */
export function shellCheckOf(c: HealthCheck): ShellCheck | undefined {
  return (CHECK_KINDS[c.expect.type] as CheckKind<Expectation['type']>).shell?.(c as CheckOf<Expectation['type']>);
}

/**
 * The shell script of a Job gate: it runs each check (one `kubectl get` per reading, the same
 * meaning as the CEL of its kind) until it is done, then the next; it exits 1 as soon as a check
 * reports a terminal failure. It has no deadline of its own: the layer's Kustomization times out
 * and retries while the Job keeps waiting, so a rollout longer than the timeout still completes
 * the gate. It prints what it waits for whenever that changes.
 */
export function gateScript(checks: readonly HealthCheck[]): string {
  const functions = new Map<string, string>();
  const calls: string[] = [];
  for (const c of checks) {
    const s = shellCheckOf(c);
    if (s === undefined) continue;
    functions.set(s.fn.name, s.fn.body);
    const what = `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
    calls.push(`wait_for ${sq(what)} ${s.fn.name} ${s.args.map(sq).join(' ')}`);
  }
  return `${[
    '# dkp-fleet gate: waits until every check below is done; exits 1 when one has failed.',
    'set -u',
    `poll=${POLL_SECONDS}`,
    '# wait_for <what> <check> <arguments>...: runs the check until it prints done (then returns) or failed (the gate fails)',
    'wait_for() {',
    '  what=$1; shift',
    '  said=',
    '  while :; do',
    '    state=$("$@")',
    '    case "$state" in',
    '      done) echo "ok: $what"; return 0 ;;',
    '      failed*) echo "$what: $state"; exit 1 ;;',
    '    esac',
    '    if [ "$state" != "$said" ]; then echo "$what: $state"; said=$state; fi',
    '    sleep "$poll" || exit 2',
    '  done',
    '}',
    ...functions.values(),
    ...calls,
    'echo "all checks passed"',
  ].join('\n')}\n`;
}

/** Everything a Job gate reads, for its RBAC. */
export function readsOf(checks: readonly HealthCheck[]): Read[] {
  return checks.flatMap((c) => shellCheckOf(c)?.reads ?? []);
}
