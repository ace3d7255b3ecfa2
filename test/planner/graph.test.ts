import { DependencyGraph } from '../../src/planner/graph';

function graph(edges: Record<string, string[]>): DependencyGraph {
  const g = new DependencyGraph();
  for (const n of Object.keys(edges)) g.addNode(n);
  for (const [n, deps] of Object.entries(edges)) for (const d of deps) g.addEdge(n, d);
  return g;
}

/** Brute force: is `b` reachable backwards from `a`? */
function reaches(edges: Record<string, string[]>, a: string, b: string): boolean {
  const seen = new Set<string>();
  const stack = [...edges[a]];
  while (stack.length) {
    const x = stack.pop()!;
    if (x === b) return true;
    if (!seen.has(x)) { seen.add(x); stack.push(...edges[x]); }
  }
  return false;
}

describe('DependencyGraph', () => {
  test('orders dependencies first, ties in insertion order', () => {
    const g = graph({ z: [], a: ['z'], m: ['z'], b: ['a', 'm'] });
    expect(g.topologicalOrder()).toEqual(['z', 'a', 'm', 'b']);
  });

  test('fails if there is a cycle, naming it', () => {
    const g = graph({ a: ['c'], b: ['a'], c: ['b'] });
    expect(() => g.topologicalOrder()).toThrow('dependency cycle detected: a => c => b => a');
  });

  test('fails if a node depends on itself', () => {
    const g = graph({ a: [] });
    expect(() => g.addEdge('a', 'a')).toThrow('dependency cycle detected: a => a');
  });

  test('fails if a node is added twice or an edge names an unknown node', () => {
    const g = graph({ a: [] });
    expect(() => g.addNode('a')).toThrow('duplicate node "a"');
    expect(() => g.addEdge('a', 'b')).toThrow('unknown node "b"');
  });

  test('reduces edges to direct dependencies', () => {
    const edges = { r: [], a: ['r'], b: ['a', 'r'], c: ['b', 'a', 'r'], d: ['c', 'r'] };
    const g = graph(edges);
    g.reduce();
    expect(['r', 'a', 'b', 'c', 'd'].map((n) => g.dependencies(n))).toEqual([[], ['r'], ['a'], ['b'], ['c']]);
  });

  test('keeps reachability when reducing random DAGs, and leaves no redundant edge', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 30; round++) {
      const n = 2 + Math.floor(rand() * 25);
      const names = Array.from({ length: n }, (_, i) => `n${i}`);
      const edges: Record<string, string[]> = {};
      names.forEach((name, i) => { edges[name] = names.slice(0, i).filter(() => rand() < 0.3); });
      const g = graph(edges);
      g.reduce();
      const reduced: Record<string, string[]> = Object.fromEntries(names.map((x) => [x, g.dependencies(x)]));
      for (const a of names) {
        for (const b of names) {
          expect(reaches(reduced, a, b)).toBe(reaches(edges, a, b));
        }
        for (const d of reduced[a]) {
          for (const other of reduced[a]) {
            if (other !== d) expect(reaches(reduced, other, d)).toBe(false);
          }
        }
      }
      expect(g.redundantEdges()).toEqual([]);
    }
  });

  test('finds targets that do not follow every source', () => {
    const g = graph({ s1: [], s2: [], t1: ['s1', 's2'], t2: ['s1'], t3: ['t1'] });
    expect(g.missingAncestors(['s1', 's2'], ['t1', 't2', 't3'])).toEqual([{ target: 't2', missing: 's2' }]);
  });
});
