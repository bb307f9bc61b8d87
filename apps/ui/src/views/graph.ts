import { s } from '../dom.js';
import type { Tone } from '../status.js';

export interface GraphNode {
  name: string;
  dependsOn: string[];
  tone: Tone;
  label: string;
}

/** Layers by longest `depends_on` chain: dependencies on the left, what needs them on the right. */
export function layers(nodes: GraphNode[]): Map<string, number> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const visit = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0; // a cycle (the loader refuses them): stop here
    seen.add(name);
    const deps = byName.get(name)?.dependsOn.filter((d) => byName.has(d)) ?? [];
    const d = deps.length ? 1 + Math.max(...deps.map((x) => visit(x, seen))) : 0;
    depth.set(name, d);
    return d;
  };
  for (const n of nodes) visit(n.name, new Set());
  return depth;
}

const W = 150;
const H = 40;
const GAP_X = 60;
const GAP_Y = 18;

/** The `depends_on` graph as SVG, each service coloured by its state. */
export function renderGraph(nodes: GraphNode[]): SVGElement {
  const depth = layers(nodes);
  const columns: string[][] = [];
  for (const n of nodes) {
    const d = depth.get(n.name) ?? 0;
    const column = columns[d] ?? [];
    column.push(n.name);
    columns[d] = column;
  }
  const pos = new Map<string, { x: number; y: number }>();
  for (const [i, col] of columns.entries()) {
    for (const [j, name] of col.entries())
      pos.set(name, { x: 10 + i * (W + GAP_X), y: 10 + j * (H + GAP_Y) });
  }
  const width = 20 + Math.max(1, columns.length) * (W + GAP_X) - GAP_X;
  const height = 20 + Math.max(1, ...columns.map((c) => c.length)) * (H + GAP_Y) - GAP_Y;
  const edges: SVGElement[] = [];
  for (const n of nodes) {
    const to = pos.get(n.name);
    for (const dep of n.dependsOn) {
      const from = pos.get(dep);
      if (!from || !to) continue;
      edges.push(
        s('line', {
          class: 'edge',
          x1: from.x + W,
          y1: from.y + H / 2,
          x2: to.x - 4,
          y2: to.y + H / 2,
          'marker-end': 'url(#arrow)',
        }),
      );
    }
  }
  const boxes = nodes.map((n) => {
    const p = pos.get(n.name) ?? { x: 0, y: 0 };
    return s(
      'g',
      { class: `node ${n.tone}`, 'data-service': n.name, transform: `translate(${p.x},${p.y})` },
      s('title', {}, `${n.name}: ${n.label}`),
      s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 10, y: 17 }, n.name),
      s('text', { x: 10, y: 32, class: 'sub' }, n.label),
    );
  });
  const label = nodes
    .map((n) => `${n.name} (${n.label})${n.dependsOn.length ? ` depends on ${n.dependsOn.join(', ')}` : ''}`)
    .join('; ');
  return s(
    'svg',
    {
      class: 'graph',
      role: 'img',
      'aria-label': `depends_on graph: ${label}`,
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
    },
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 10,
          refY: 5,
          markerWidth: 8,
          markerHeight: 8,
          orient: 'auto',
        },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }),
      ),
    ),
    ...edges,
    ...boxes,
  );
}
