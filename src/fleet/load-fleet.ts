import { Fleet } from './fleet';
import { readRegularFile } from './fleet-paths';
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
  // a regular file, or a link to one (the user named it); a FIFO or device is refused unopened
  const read = readRegularFile(file, MAX_INPUT_BYTES, {
    followLink: true,
    tooBig: (bytes) => `is ${bytes} bytes; fleet files of at most ${MAX_INPUT_BYTES} bytes are accepted`,
    rule: 'a fleet file must be a regular file (or a link to one); a FIFO or device is never opened',
  });
  if ('refused' in read) {
    problems.add('(file)', read.refused);
    throw new FleetError(problems.all);
  }
  return parseFleet(read.text, file);
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
