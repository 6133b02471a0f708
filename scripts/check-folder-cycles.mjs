// Fails when two folders of a package's src import each other, directly or round a longer loop, which madge's
// file-level check does not see. A file at the root of src stands for itself, as an entry point does.
// Usage: node scripts/check-folder-cycles.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = fileURLToPath(new URL('../packages', import.meta.url));
const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The folder a file belongs to, relative to src; a file at the root is its own node. */
function nodeOf(src, file) {
  const folder = relative(src, dirname(file));
  return folder === '' ? relative(src, file) : folder;
}

function findCycle(edges) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of edges.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

let failed = false;
for (const name of readdirSync(packages)) {
  const src = join(packages, name, 'src');
  let files;
  try {
    files = sourceFiles(src);
  } catch {
    continue;
  }
  const edges = new Map();
  for (const file of files) {
    const from = nodeOf(src, file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = nodeOf(src, resolve(dirname(file), match[1]));
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
  const cycle = findCycle(edges);
  if (cycle) {
    failed = true;
    console.error(`packages/${name}/src: folders import each other: ${cycle.join(' -> ')}`);
  }
}
if (failed) process.exit(1);
console.log('No import cycle between folders.');
