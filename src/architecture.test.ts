import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = import.meta.dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Relative imports that exist at run time (type-only imports vanish under type stripping). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    if (!m[1]) found.push(resolve(dirname(file), m[2]!));
  }
  return found;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, runtimeImports(f)]));
const rel = (f: string) => relative(SRC, f);

describe('architecture', () => {
  it('has no circular imports between source files', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(rel).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('keeps core free of transports and integrations', () => {
    const offending = files
      .filter((f) => rel(f).startsWith('core/'))
      .flatMap((f) => (graph.get(f) ?? []).filter((t) => /^(http|cli|integrations)\//.test(rel(t)) || !t.startsWith(SRC)).map((t) => `${rel(f)} → ${relative(SRC, t)}`));
    assert.deepEqual(offending, []);
  });

  it('lets other domains reach a domain only through its index.ts', () => {
    const offending: string[] = [];
    for (const f of files.filter((x) => rel(x).startsWith('core/'))) {
      const domain = rel(f).split('/')[1];
      for (const t of graph.get(f) ?? []) {
        const [top, other, ...rest] = rel(t).split('/');
        if (top === 'core' && other !== domain && other !== 'shared' && rest.join('/') !== 'index.ts') offending.push(`${rel(f)} → ${rel(t)}`);
      }
    }
    assert.deepEqual(offending, []);
  });

  it('finds the imports it checks (the scan itself works)', () => {
    assert.ok(files.length > 40);
    assert.ok((graph.get(join(SRC, 'server.ts')) ?? []).some((t) => rel(t) === 'http/app.ts'));
  });
});
