/**
 * Parse and render of a generated 10,000-item notes file (run: `npx tsx bench/markdown.ts`).
 * Not a test: prints wall-clock figures for the README and reviews, asserts nothing about time.
 */
import { performance } from 'node:perf_hooks';
import { flattenOutline, parseOutline, renderChanges } from '../src/markdown/index.js';
import type { LocalChange } from '../src/model/local-change.js';

const ITEMS = 10_000;

function generate(): string {
  const lines = ['---', 'taskade:', '  project: bench', '---', '# Bench', ''];
  let n = 0;
  for (let s = 0; n < ITEMS; s += 1) {
    lines.push(`## Section ${s} ^tk-s${String(s).padStart(7, '0')}`, '', 'A paragraph that is not synced.', '');
    for (let i = 0; i < 50 && n < ITEMS; i += 1) {
      const depth = i % 3;
      const meta = i % 5 === 0 ? ' @alice ⏰ 09:00 Europe/Paris 📅 2026-12-01' : i % 7 === 0 ? ' #tag ⏫' : '';
      lines.push(`${'  '.repeat(depth)}- [${i % 4 === 0 ? 'x' : ' '}] Task number ${n} with some words${meta} ^tk-${String(n).padStart(8, '0')}`);
      if (i % 10 === 0) lines.push(`${'  '.repeat(depth + 1)}A note line for task ${n}.`);
      n += 1;
    }
    lines.push('');
  }
  return lines.join('\n');
}

function time<T>(label: string, runs: number, fn: () => T): T {
  let result = fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) result = fn();
  const ms = (performance.now() - start) / runs;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  return result;
}

const source = generate();
console.log(`file: ${ITEMS} items, ${source.length} characters, ${source.split('\n').length} lines`);
const outline = time('parseOutline', 5, () => parseOutline(source));
const flat = flattenOutline(outline).filter((n) => n.kind === 'task');
console.log(`parsed: ${flat.length} tasks, ${outline.diagnostics.length} diagnostics`);
time('renderChanges, no changes', 5, () => renderChanges(source, outline, []));
const changes: LocalChange[] = [];
for (let i = 0; i < flat.length; i += 100) {
  const node = flat[i];
  if (node) changes.push({ type: 'update', key: node.key, values: { text: `${node.text} (edited)`, completed: !node.completed } });
}
const last = flat.at(-1);
if (last) changes.push({ type: 'move', key: last.key, parent: null, after: null });
time(`renderChanges, ${changes.length} changes`, 5, () => renderChanges(source, outline, changes));
time('renderChanges, every item updated', 3, () =>
  renderChanges(source, outline, flat.map((n): LocalChange => ({ type: 'update', key: n.key, values: { text: n.text + '!' } }))),
);
