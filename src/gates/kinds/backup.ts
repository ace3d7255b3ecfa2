import { CheckKind, readOf } from './kind';

/**
 * A Velero Backup (velero.io/v1; DKP 2.1 and 2.2 run Velero v1.5.2 in namespace kommander;
 * test/fixtures/timelines/velero-backup.yaml). A Backup has no conditions: kstatus calls it Current
 * as soon as it exists. Done is phase Completed; Failed, PartiallyFailed and FailedValidation are
 * terminal. The Backup must be one taken for this upgrade: synthesis requires its name to name
 * the target release, so a Backup left Completed by an earlier upgrade cannot pass.
 */

const SHELL = `# check_backup <namespace> <name>
check_backup() {
  bk_out=$(kubectl get backups.velero.io "$2" -n "$1" -o 'jsonpath={.status.phase}' 2>&1) || { echo "waiting: $bk_out"; return; }
  case "$bk_out" in
    Completed) echo done ;;
    Failed|PartiallyFailed|FailedValidation) echo "failed: phase $bk_out" ;;
    *) echo "waiting: phase \${bk_out:-New}" ;;
  esac
}`;

export const BACKUP: CheckKind<'backup-completed'> = {
  describe: () => 'phase Completed',
  kstatus: false,
  celExact: true,
  detectsFailure: true,
  cel: () => ({
    current: "has(status.phase) && status.phase == 'Completed'",
    failed: "has(status.phase) && status.phase in ['Failed', 'PartiallyFailed', 'FailedValidation']",
  }),
  shell: (c) => ({ fn: { name: 'check_backup', body: SHELL }, args: [c.namespace ?? '', c.name], reads: [readOf(c)] }),
};
