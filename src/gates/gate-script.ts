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
 * The shell script of a Job gate: it reads every check that is not done yet (one `kubectl get`
 * per reading, the same meaning as the CEL of its kind), as Flux evaluates every object of a
 * health check together, until all are done; it exits 1 as soon as one reports a terminal
 * failure. It has no deadline of its own: the layer's Kustomization times out and retries while
 * the Job keeps waiting, so a rollout longer than the timeout still completes the gate. It prints
 * what each check waits for whenever that changes.
 */
export function gateScript(checks: readonly HealthCheck[]): string {
  const functions = new Map<string, string>();
  const defs: string[] = [];
  const ids: number[] = [];
  for (const c of checks) {
    const s = shellCheckOf(c);
    if (s === undefined) continue;
    functions.set(s.fn.name, s.fn.body);
    const i = ids.length + 1;
    ids.push(i);
    defs.push(`what_${i}=${sq(`${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`)}; run_${i}() { ${s.fn.name} ${s.args.map(sq).join(' ')}; }`);
  }
  return `${[
    '# dkp-fleet gate: reads every check below until all are done; exits 1 as soon as one has failed.',
    'set -u',
    `poll=${POLL_SECONDS}`,
    ...functions.values(),
    '# the checks: what_<n> names the object, run_<n> reads it and prints done, failed: <why> or waiting: <why>',
    ...defs,
    `pending='${ids.join(' ')}'`,
    'while :; do',
    '  left=',
    '  for i in $pending; do',
    '    state=$(run_$i)',
    '    eval "what=\\$what_$i; said=\\${said_$i:-}"',
    '    case "$state" in',
    '      done) echo "ok: $what" ;;',
    '      failed*) echo "$what: $state"; exit 1 ;;',
    '      *) left="$left $i"',
    '         if [ "$state" != "$said" ]; then echo "$what: $state"; eval "said_$i=\\$state"; fi ;;',
    '    esac',
    '  done',
    '  if [ -z "$left" ]; then echo "all checks passed"; exit 0; fi',
    '  pending=$left',
    '  sleep "$poll" || exit 2',
    'done',
  ].join('\n')}\n`;
}

/** Everything a Job gate reads, for its RBAC. */
export function readsOf(checks: readonly HealthCheck[]): Read[] {
  return checks.flatMap((c) => shellCheckOf(c)?.reads ?? []);
}
