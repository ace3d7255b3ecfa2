/**
 * A directed acyclic graph of named nodes, edges pointing from a dependency to its
 * dependant. Plain data: no constructs, no I/O.
 *
 * Order is deterministic: among nodes that are ready at the same time, the one added first
 * comes first.
 */
export class DependencyGraph {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly preds: Set<number>[] = [];
  /** The topological order, until the graph changes. */
  private order?: readonly string[];

  /** Adds a node; names are unique. */
  public addNode(name: string): void {
    if (this.index.has(name)) {
      throw new Error(`duplicate node ${JSON.stringify(name)}`);
    }
    this.index.set(name, this.names.length);
    this.names.push(name);
    this.preds.push(new Set());
    this.order = undefined;
  }

  public has(name: string): boolean {
    return this.index.has(name);
  }

  /** `dependant` depends on `dependency`. */
  public addEdge(dependant: string, dependency: string): void {
    const a = this.id(dependant);
    const b = this.id(dependency);
    if (a === b) {
      throw new Error(`dependency cycle detected: ${dependant} => ${dependant}`);
    }
    this.preds[a].add(b);
    this.order = undefined;
  }

  public get size(): number {
    return this.names.length;
  }

  /** Direct dependencies of a node, sorted by name. */
  public dependencies(name: string): string[] {
    return [...this.preds[this.id(name)]].map((i) => this.names[i]).sort();
  }

  /** Every node, in insertion order. */
  public get nodes(): readonly string[] {
    return this.names;
  }

  /**
   * Topological order (dependencies first), stable by insertion order.
   *
   * @throws when the graph has a cycle, naming it: `a => b => a`
   */
  public topologicalOrder(): string[] {
    this.order ??= this.computeOrder();
    return [...this.order];
  }

  private computeOrder(): string[] {
    const n = this.names.length;
    const succ: number[][] = Array.from({ length: n }, () => []);
    const indegree = new Int32Array(n);
    this.preds.forEach((ps, v) => {
      indegree[v] = ps.size;
      for (const p of ps) succ[p].push(v);
    });
    const heap = new MinHeap();
    for (let v = 0; v < n; v++) if (indegree[v] === 0) heap.push(v);
    const order: string[] = [];
    while (heap.size > 0) {
      const v = heap.pop();
      order.push(this.names[v]);
      for (const s of succ[v]) {
        if (--indegree[s] === 0) heap.push(s);
      }
    }
    if (order.length !== n) {
      throw new Error(`dependency cycle detected: ${this.findCycle().join(' => ')}`);
    }
    return order;
  }

  /**
   * Edges implied by others: `dependency` is also reachable through `via`, another direct
   * dependency of `node`.
   */
  public redundantEdges(): { node: string; dependency: string; via: string }[] {
    const order = this.topologicalOrder().map((name) => this.id(name));
    const position = new Int32Array(this.names.length);
    order.forEach((v, i) => { position[v] = i; });
    const out: { node: string; dependency: string; via: string }[] = [];
    for (const v of order) {
      const ps = this.preds[v];
      if (ps.size < 2) continue;
      // Search backwards from each predecessor, never below the earliest predecessor's
      // position: nothing there can lead to another predecessor.
      let floor = Infinity;
      for (const p of ps) floor = Math.min(floor, position[p]);
      const found = new Set<number>();
      for (const start of ps) {
        if (found.has(start)) continue;
        const seen = new Set<number>([start]);
        const stack = [...this.preds[start]];
        while (stack.length > 0) {
          const u = stack.pop()!;
          if (seen.has(u) || position[u] < floor) continue;
          seen.add(u);
          if (ps.has(u) && !found.has(u)) {
            found.add(u);
            out.push({ node: this.names[v], dependency: this.names[u], via: this.names[start] });
          }
          for (const w of this.preds[u]) stack.push(w);
        }
      }
    }
    return out;
  }

  /**
   * Removes every edge implied by others: afterwards each node lists its direct
   * predecessors only (the transitive reduction of the DAG).
   */
  public reduce(): void {
    for (const e of this.redundantEdges()) {
      this.preds[this.id(e.node)].delete(this.id(e.dependency));
    }
    this.order = undefined;
  }

  /**
   * For each target, whether every node of `sources` is one of its ancestors. Propagates
   * bitsets over the sources in topological order: O((nodes + edges) × sources / 32).
   *
   * @returns the targets that miss at least one source, with one missing source each
   */
  public missingAncestors(sources: readonly string[], targets: readonly string[]): { target: string; missing: string }[] {
    const order = this.topologicalOrder().map((name) => this.id(name));
    const bit = new Map<number, number>(sources.map((s, i) => [this.id(s), i]));
    const words = Math.ceil(sources.length / 32) || 1;
    const sets: (Uint32Array | undefined)[] = new Array(this.names.length);
    const remaining = new Int32Array(this.names.length);
    const succ: number[][] = Array.from({ length: this.names.length }, () => []);
    this.preds.forEach((ps, v) => { for (const p of ps) { succ[p].push(v); remaining[p]++; } });
    const wanted = new Set(targets.map((t) => this.id(t)));
    const result: { target: string; missing: string }[] = [];
    for (const v of order) {
      const own = new Uint32Array(words);
      for (const p of this.preds[v]) {
        const ps = sets[p]!;
        for (let i = 0; i < words; i++) own[i] |= ps[i];
        const b = bit.get(p);
        if (b !== undefined) own[b >>> 5] |= 1 << (b & 31);
        // Free a node's set once every successor has read it, to bound memory.
        if (--remaining[p] === 0 && !wanted.has(p)) sets[p] = undefined;
      }
      sets[v] = own;
      if (wanted.has(v)) {
        for (let i = 0; i < sources.length; i++) {
          if ((own[i >>> 5] & (1 << (i & 31))) === 0 && this.id(sources[i]) !== v) {
            result.push({ target: this.names[v], missing: sources[i] });
            break;
          }
        }
      }
    }
    return result;
  }

  /** Is `ancestor` reachable backwards from `node`? */
  public dependsTransitively(node: string, ancestor: string): boolean {
    const target = this.id(ancestor);
    const seen = new Set<number>();
    const stack = [...this.preds[this.id(node)]];
    while (stack.length > 0) {
      const u = stack.pop()!;
      if (u === target) return true;
      if (seen.has(u)) continue;
      seen.add(u);
      for (const w of this.preds[u]) stack.push(w);
    }
    return false;
  }

  private id(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) {
      throw new Error(`unknown node ${JSON.stringify(name)}`);
    }
    return i;
  }

  private findCycle(): string[] {
    const state = new Uint8Array(this.names.length); // 0 new, 1 on stack, 2 done
    const stack: number[] = [];
    const visit = (v: number): number[] | undefined => {
      state[v] = 1;
      stack.push(v);
      for (const p of [...this.preds[v]].sort((a, b) => a - b)) {
        if (state[p] === 1) {
          return [...stack.slice(stack.indexOf(p)), p];
        }
        if (state[p] === 0) {
          const c = visit(p);
          if (c) return c;
        }
      }
      stack.pop();
      state[v] = 2;
      return undefined;
    };
    for (let v = 0; v < this.names.length; v++) {
      if (state[v] === 0) {
        const c = visit(v);
        if (c) return c.map((i) => this.names[i]);
      }
    }
    return [];
  }
}

/** Binary min-heap of non-negative integers. */
class MinHeap {
  private readonly items: number[] = [];

  public get size(): number {
    return this.items.length;
  }

  public push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  public pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
