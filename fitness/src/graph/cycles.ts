/**
 * Tarjan's strongly connected components, iterative (no recursion limit on deep graphs).
 * Linear in nodes + edges: milliseconds where enumerating every elementary cycle, as
 * dependency-cruiser does, takes seconds on dense graphs.
 */
export function stronglyConnected(nodes: Iterable<string>, next: (n: string) => Iterable<string>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of nodes) {
    if (idx.has(start)) continue;
    const work: { node: string; it: Iterator<string> }[] = [];
    const open = (n: string) => {
      idx.set(n, index);
      low.set(n, index);
      index++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, it: next(n)[Symbol.iterator]() });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.it.next();
      if (!step.done) {
        const w = step.value;
        if (!idx.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, idx.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === idx.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        out.push(component);
      }
    }
  }
  return out;
}

/** Shortest path from `from` to `to` (BFS), or undefined. */
export function shortestPath(from: string, to: string, next: (n: string) => Iterable<string>, allowed?: (n: string) => boolean): string[] | undefined {
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head]!;
    for (const w of next(n)) {
      if (prev.has(w) || (allowed && !allowed(w))) continue;
      prev.set(w, n);
      if (w === to) {
        const path = [w];
        let cur = w;
        while (cur !== from) {
          cur = prev.get(cur)!;
          path.unshift(cur);
        }
        return path;
      }
      queue.push(w);
    }
  }
  return undefined;
}
