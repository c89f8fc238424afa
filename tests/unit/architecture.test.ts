/**
 * The layering DESIGN.md sets (functions → usecases → ports ← adapters; domain pure), kept by a test over the
 * real import graph of lib/: no import cycle between modules (type-only imports included, since a cycle of
 * types is still a loop a reader has to follow), and no arrow that runs back up. ESLint's
 * no-restricted-imports rules say the same per folder; this test also sees cycles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const LIB = join(ROOT, 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Module → the lib modules it imports (relative specifiers, resolved to files). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(LIB)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)]
      .map((m) => m[1] ?? m[2])
      .map((spec) => relative(ROOT, resolve(dirname(file), spec as string)) + '.ts');
    graph.set(
      relative(ROOT, file),
      targets.filter((t) => t.startsWith('lib/')),
    );
  }
  return graph;
}

/** Every cycle found by depth-first search, as the list of modules on it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const layer = (module: string) => module.split('/')[1] as string;
/** Which lib folders each lib folder may import. */
const ALLOWED: Record<string, string[]> = {
  domain: ['domain'],
  ports: ['domain', 'ports'],
  usecases: ['domain', 'ports', 'usecases'],
  adapters: ['domain', 'ports', 'adapters'],
  http: ['domain', 'ports', 'http'],
  config: ['domain', 'ports', 'adapters', 'http', 'usecases', 'config'],
};

describe('architecture', () => {
  const graph = importGraph();

  it('reads the real graph', () => {
    expect(graph.get('lib/http/handler.ts')).toContain('lib/http/middleware/idempotency.ts');
    expect(graph.size).toBeGreaterThan(100);
  });

  it('has no import cycle in lib/', () => {
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps every arrow pointing down: http and adapters import neither config nor use cases', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph)
      for (const to of targets)
        if (!(ALLOWED[layer(from)] ?? []).includes(layer(to))) upward.push(`${from} → ${to}`);
    expect(upward).toEqual([]);
  });

  it('lets the payment and visit use cases depend on each other in one direction only', () => {
    const between = (a: string, b: string) =>
      [...graph].some(
        ([from, targets]) =>
          from.startsWith(`lib/usecases/${a}/`) && targets.some((t) => t.startsWith(`lib/usecases/${b}/`)),
      );
    expect(between('payments', 'visits') && between('visits', 'payments')).toBe(false);
  });

  it('keeps the store out of the use cases: no cast of stored state, no store key format', () => {
    const found: string[] = [];
    for (const file of sources(join(LIB, 'usecases'))) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const m of code.matchAll(
        /state as |as Fen\b|['`][A-Z]+#|\.(?:getEntity|findByRef|listByTime|pageIndex|scanByTime)\(/g,
      ))
        found.push(`${relative(ROOT, file)}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });
});
