/**
 * One problem found in the user's input: the field path it concerns and what is wrong.
 *
 * Messages follow one shape: `<path>: <what is wrong, with the bad value>; <what is allowed>`.
 * They are lowercase and end without a period, so they read well in a list.
 */
export interface Problem {
  /** Field path in the input, e.g. `spec.workspaces[0].clusters[1].kubernetesVersion`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** The file the path belongs to. @default - the fleet file */
  readonly file?: string;
  /** 1-based line of the field in `file`, when known. */
  readonly line?: number;
}

/**
 * Characters a terminal acts on or hides: controls (ESC starts ANSI sequences, a newline would
 * forge another problem line), format characters such as bidi overrides, line separators.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Field paths longer than this are cut: a path holds the user's keys, and a key can be huge. */
const MAX_PATH_LENGTH = 200;

/**
 * `fleet.yaml:12: spec.release: "9.9.9" is not a known release; ...` (the document itself:
 * `(document)`). One line, safe to print: unsafe characters are escaped as `\uXXXX`.
 */
export function formatProblem(p: Problem): string {
  const where = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`}: `;
  let path = p.path === '' ? '(document)' : p.path;
  if (path.length > MAX_PATH_LENGTH) path = `${path.slice(0, MAX_PATH_LENGTH - 3)}...`;
  return `${where}${path}: ${p.message}`.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Adds line numbers to the problems whose path the locator can find, and puts them in file
 * order (problems without a line first, in the order found).
 */
export function located(problems: readonly Problem[], locate: Locator): Problem[] {
  const withLines = problems.map((p) => {
    if (p.line !== undefined || p.path.startsWith('(')) return p;
    const line = locate(p.path);
    return line === undefined ? p : { ...p, line };
  });
  return withLines
    .map((p, i) => ({ p, i }))
    .sort((a, b) => ((a.p.line ?? 0) - (b.p.line ?? 0)) || a.i - b.i)
    .map((x) => x.p);
}

/** Resolves a field path of a file to a 1-based line number, when it can. */
export type Locator = (path: string) => number | undefined;

/**
 * The input was refused. Carries every problem found, so one run reports them all.
 */
export class FleetError extends Error {
  public readonly problems: readonly Problem[];

  public constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'FleetError';
    this.problems = problems;
  }
}

/** Collects problems while a validator walks its input. */
export class Problems {
  private readonly list: Problem[] = [];

  public constructor(private readonly file?: string) {}

  public add(path: string, message: string, line?: number): void {
    this.list.push({ path, message, ...(this.file === undefined ? {} : { file: this.file }), ...(line === undefined ? {} : { line }) });
  }

  public addAll(problems: readonly Problem[]): void {
    this.list.push(...problems);
  }

  public get count(): number {
    return this.list.length;
  }

  public get all(): readonly Problem[] {
    return this.list;
  }

  /** Throws a {@link FleetError} when anything was found. */
  public throwIfAny(): void {
    if (this.list.length > 0) {
      throw new FleetError(this.list);
    }
  }
}

/**
 * Renders a value for a message: JSON, so control characters and quotes are escaped, and
 * cut to a readable length so hostile or huge input cannot flood the terminal.
 */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) {
    text = 'nothing';
  } else if (typeof value === 'number' && !Number.isFinite(value)) {
    text = String(value); // JSON would say null
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Joins a field path and a key: `a.b` + `c` → `a.b.c`, `a` + 2 → `a[2]`. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  return path === '' ? key : `${path}.${key}`;
}

/** Splits a field path into its keys: `a.b[2].c` → `['a', 'b', 2, 'c']`. */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    keys.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  }
  return keys;
}
