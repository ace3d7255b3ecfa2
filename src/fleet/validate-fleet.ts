import { checkFleet } from './cross-checks';
import { Fleet } from './fleet';
import { fleetSchema } from './fleet-schema';
import { normalizeFleet } from './normalize-fleet';
import { Problems } from '../input/problems';
import { INVALID } from '../input/schema';

/**
 * Validates a parsed fleet file and resolves its defaults: the schema checks each field,
 * normalisation fills in defaults, then the checks across fields run.
 *
 * @param raw the parsed YAML
 * @param fleetFile path of the fleet file, to resolve `spec.catalog` against
 * @returns the fleet, or `undefined` when problems were recorded
 */
export function validateFleet(raw: unknown, fleetFile: string, problems: Problems): Fleet | undefined {
  const r = fleetSchema(raw, '', problems);
  if (r === INVALID) {
    return undefined;
  }
  const fleet = normalizeFleet(r, fleetFile, problems);
  checkFleet(fleet, problems);
  return problems.count === 0 ? fleet : undefined;
}
