import * as fs from 'fs';
import { Fleet } from './fleet';
import { validateFleet } from './validate-fleet';
import { FleetError, located, Locator, Problems } from '../input/problems';
import { MAX_INPUT_BYTES, parseYaml } from '../input/yaml-source';

export interface LoadedFleet {
  readonly fleet: Fleet;
  /** The fleet file, as given. */
  readonly file: string;
  /** Maps a field path of the fleet file to its line. */
  readonly locate: Locator;
}

/**
 * Reads, parses and validates a fleet file.
 *
 * @throws FleetError listing every problem found (with the file's lines where known)
 */
export function loadFleet(file: string): LoadedFleet {
  const problems = new Problems(file);
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_INPUT_BYTES) {
      problems.add('(file)', `is ${size} bytes; fleet files of at most ${MAX_INPUT_BYTES} bytes are accepted`);
      throw new FleetError(problems.all);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FleetError) throw e;
    problems.add('(file)', `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    throw new FleetError(problems.all);
  }
  return parseFleet(text, file);
}

/** Parses and validates fleet text; `file` names it in messages and anchors `spec.catalog`. */
export function parseFleet(text: string, file: string): LoadedFleet {
  const problems = new Problems(file);
  const parsed = parseYaml(text, problems);
  if (parsed === undefined) {
    throw new FleetError(problems.all);
  }
  const fleet = validateFleet(parsed.value, file, problems);
  if (fleet === undefined) {
    throw new FleetError(located(problems.all, parsed.locate));
  }
  return { fleet, file, locate: parsed.locate };
}
