import { FluxCondition } from './flux-objects';
import { isMapping, typeName, Where } from '../input/kube-list';
import { child, Problems } from '../input/problems';

/** Reads the fields of one object, recording a problem for each field of the wrong type. */
export class FieldReader {
  public ok = true;

  public constructor(
    private readonly value: Record<string, unknown>,
    private readonly at: string,
    private readonly where: (path: string) => Where,
    private readonly problems: Problems,
  ) {}

  public problem(field: string, message: string): void {
    const w = this.where(field === '' ? this.at : child(this.at, field));
    this.problems.add(w.path, message, w.line);
    this.ok = false;
  }

  /** The value at a dotted path, or undefined (a missing or non-mapping parent is undefined too). */
  public raw(path: string): unknown {
    let v: unknown = this.value;
    for (const k of path.split('.')) {
      if (!isMapping(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
      v = v[k];
    }
    return v;
  }

  /** A mapping at `path` (undefined when absent), or a problem. */
  public mapping(path: string, what: string): Record<string, unknown> | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (!isMapping(v)) {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  public string(path: string, what: string): string | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  public integer(path: string, what: string): number | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  public boolean(path: string, what: string): boolean | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.problem(path, `expected ${what}, got ${typeName(v)}`);
      return undefined;
    }
    return v;
  }

  /** metadata.labels: string values only, as Kubernetes has them. */
  public labels(): Record<string, string> {
    const labels = this.mapping('metadata.labels', 'a mapping of labels');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (typeof v === 'string') out[k] = v;
      else this.problem(`metadata.labels.${k}`, `expected a label value (a string), got ${typeName(v)}`);
    }
    return out;
  }

  /** status.conditions: a list of conditions, each with a type and a status. */
  public conditions(): FluxCondition[] {
    const v = this.raw('status.conditions');
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem('status.conditions', `expected a list of conditions, got ${typeName(v)}`);
      return [];
    }
    const out: FluxCondition[] = [];
    v.forEach((c, i) => {
      const at = `status.conditions[${i}]`;
      if (!isMapping(c)) {
        this.problem(at, `expected a condition (a mapping with type and status), got ${typeName(c)}`);
        return;
      }
      const text = (k: string, required: boolean): string | undefined => {
        const s = c[k];
        if (s === undefined || s === null) {
          if (required) this.problem(`${at}.${k}`, 'required field is missing: every condition has type and status (as Flux writes them)');
          return undefined;
        }
        if (typeof s !== 'string') {
          this.problem(`${at}.${k}`, `expected a string, got ${typeName(s)}`);
          return undefined;
        }
        return s;
      };
      const type = text('type', true);
      const status = text('status', true);
      const reason = text('reason', false);
      const message = text('message', false);
      const lastTransitionTime = text('lastTransitionTime', false);
      const og = c.observedGeneration;
      if (og !== undefined && og !== null && (typeof og !== 'number' || !Number.isSafeInteger(og))) {
        this.problem(`${at}.observedGeneration`, `expected a generation (an integer), got ${typeName(og)}`);
      }
      if (type === undefined || status === undefined) return;
      out.push({
        type, status,
        ...(reason === undefined ? {} : { reason }),
        ...(message === undefined ? {} : { message }),
        ...(typeof og === 'number' ? { observedGeneration: og } : {}),
        ...(lastTransitionTime === undefined ? {} : { lastTransitionTime }),
      });
    });
    return out;
  }
}
