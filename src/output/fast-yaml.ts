import * as YAML from 'yaml';

/** The options every output file is written with: YAML 1.1 quoting for Go parsers, no folding. */
export const YAML_OPTIONS = { version: '1.1', lineWidth: 0 } as const;

/**
 * Strings `yaml` emits as plain scalars under YAML 1.1: they start with a letter, hold only
 * letters, digits and `. / _ -`, and are not one of YAML 1.1's booleans or nulls. Anything else
 * is rendered by `yaml` itself.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9./_-]*$/;
const RESERVED = /^(y|yes|n|no|true|false|on|off|null)$/i;

/**
 * Renders a document exactly as `YAML.stringify(doc, YAML_OPTIONS)` does, faster: documents
 * dkp-fleet writes are plain data (maps, lists, strings, integers, booleans), so they are
 * walked directly instead of through a YAML document tree. Scalars that are not obviously plain
 * are rendered by `yaml` once each and remembered, and so are multi-line strings in a mapping (a
 * ConfigMap's manifests), indented where they go. A document with anything else (non-integer
 * numbers, nested lists) is handed to `yaml` whole, so the output never depends on this shortcut;
 * tests compare the two on every output.
 */
/** Remembered renderings at most: a fleet's every layer has its own health expressions, so the memory is emptied when full. */
export const REMEMBERED = 20_000;

export class FastYaml {
  private readonly scalars = new Map<string, string>();
  /** Multi-line strings as `yaml` writes them as a mapping value at the top level (` |\n  line\n...`). */
  private readonly blocks = new Map<string, string>();

  /** Documents handed to `yaml` whole, because the shortcut does not write them (same bytes, slower). */
  public fallbacks = 0;

  /** The YAML text of one document. */
  public stringify(doc: unknown): string {
    const out: string[] = [];
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && Object.keys(doc).length > 0
      && this.map(doc as Record<string, unknown>, '', out, false)) {
      return out.join('');
    }
    this.fallbacks++;
    return YAML.stringify(doc, YAML_OPTIONS);
  }

  /** A scalar as `yaml` writes it in a block context, or `undefined` when it needs more than one line. */
  private scalar(value: unknown): string | undefined {
    if (typeof value === 'string') {
      if (PLAIN.test(value) && !RESERVED.test(value)) return value;
      let s = this.scalars.get(value);
      if (s === undefined) {
        s = YAML.stringify(value, YAML_OPTIONS).replace(/\n$/, '');
        if (this.scalars.size >= REMEMBERED) this.scalars.clear();
        this.scalars.set(value, s);
      }
      return s.includes('\n') ? undefined : s;
    }
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
    return undefined;
  }

  /**
   * Appends a mapping's lines. `inline`: the first key continues the current line (a list
   * item's `- `). Returns false when the mapping holds something this shortcut does not write.
   */
  private map(m: Record<string, unknown>, indent: string, out: string[], inline: boolean): boolean {
    const keys = Object.keys(m);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = m[k];
      if (v === undefined) return false; // yaml drops the key; rare enough to leave to it
      const key = this.scalar(k);
      if (key === undefined || key !== k) return false; // keys that need quoting: leave to yaml
      out.push(i === 0 && inline ? `${key}:` : `${indent}${key}:`);
      if (!this.value(v, indent, out)) return false;
    }
    return true;
  }

  /** Appends a mapping value after its `key:`. */
  private value(v: unknown, indent: string, out: string[]): boolean {
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push(' []\n');
        return true;
      }
      out.push('\n');
      const itemIndent = `${indent}  `;
      for (const item of v) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          if (Object.keys(item).length === 0) {
            out.push(`${itemIndent}- {}\n`);
            continue;
          }
          out.push(`${itemIndent}- `);
          if (!this.map(item as Record<string, unknown>, `${itemIndent}  `, out, true)) return false;
        } else {
          const s = this.scalar(item);
          if (s === undefined) return false;
          out.push(`${itemIndent}- ${s}\n`);
        }
      }
      return true;
    }
    if (v !== null && typeof v === 'object') {
      if (Object.keys(v).length === 0) {
        out.push(' {}\n');
        return true;
      }
      out.push('\n');
      return this.map(v as Record<string, unknown>, `${indent}  `, out, false);
    }
    if (typeof v === 'string' && v.includes('\n')) {
      // A ConfigMap's manifests: rendered by yaml once per text (every cluster of a provider shares it), then indented.
      let b = this.blocks.get(v);
      if (b === undefined) {
        b = YAML.stringify({ k: v }, YAML_OPTIONS).slice('k:'.length);
        if (this.blocks.size >= REMEMBERED) this.blocks.clear();
        this.blocks.set(v, b);
      }
      out.push(indent === '' ? b : b.replace(/\n(?=[^\n])/g, `\n${indent}`));
      return true;
    }
    const s = this.scalar(v);
    if (s === undefined) return false;
    out.push(` ${s}\n`);
    return true;
  }
}
