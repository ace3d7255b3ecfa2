// A Stryker reporter (stryker.config.mjs, reporter "mutant-log"): appends every tested mutant to
// $MUTATE_REPORTS/mutants.jsonl (default reports/mutation) as soon as it is tested, so an interrupted run still says
// which mutants it killed and which survived (Stryker writes its own reports only at the end of a run).
import * as fs from 'fs';
import * as path from 'path';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

const FILE = path.resolve(process.env.MUTATE_REPORTS ?? path.join('reports', 'mutation'), 'mutants.jsonl');

class MutantLogReporter {
  constructor() {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, '');
  }

  onMutantTested(result) {
    const { id, fileName, location, mutatorName, replacement, status, statusReason, killedBy, coveredBy } = result;
    const line = {
      id,
      file: path.relative(process.cwd(), fileName),
      line: location.start.line,
      column: location.start.column,
      endLine: location.end.line,
      endColumn: location.end.column,
      mutatorName,
      replacement,
      status,
      statusReason: status === 'Killed' ? undefined : statusReason,
      killedBy: killedBy?.[0],
      coveredBy: coveredBy?.length,
    };
    fs.appendFileSync(FILE, `${JSON.stringify(line)}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutant-log', MutantLogReporter)];
