/**
 * Parse and render of a generated 10,000-item notes file (run: `npx tsx bench/markdown.ts`).
 * Not a test: prints wall-clock figures for the README and reviews, asserts nothing about time.
 */
import { performance } from 'node:perf_hooks';
import { flattenOutline, parseOutline, renderChanges } from '../src/markdown/index.js';
import { wholeFileBlocks } from '../src/markdown/markdown-blocks.js';
import { parseOutlineWith } from '../src/markdown/parse.js';
import type { LocalChange } from '../src/model/local-change.js';

const ITEMS = 10_000;

/** `ITEMS` items in sections of `perSection` (nested three deep, some with notes and metadata). */
function generate(perSection: number): string {
  const lines = ['---', 'taskade:', '  project: bench', '---', '# Bench', ''];
  let n = 0;
  for (let s = 0; n < ITEMS; s += 1) {
    lines.push(`## Section ${s} ^tk-s${String(s).padStart(7, '0')}`, '', 'A paragraph that is not synced.', '');
    for (let i = 0; i < perSection && n < ITEMS; i += 1) {
      const depth = i % 3;
      const meta = i % 5 === 0 ? ' @alice ⏰ 09:00 Europe/Paris 📅 2026-12-01' : i % 7 === 0 ? ' #tag ⏫' : '';
      lines.push(
        `${'  '.repeat(depth)}- [${i % 4 === 0 ? 'x' : ' '}] Task number ${n} with some words${meta} ^tk-${String(n).padStart(8, '0')}`,
      );
      if (i % 10 === 0) lines.push(`${'  '.repeat(depth + 1)}A note line for task ${n}.`);
      n += 1;
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Mean of `runs` after one warm-up run. */
function time<T>(label: string, runs: number, fn: () => T): T {
  let result = fn();
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) result = fn();
  const ms = (performance.now() - start) / runs;
  console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms`);
  return result;
}

/** One cold run, for the cases too slow to repeat. */
function timeOnce<T>(label: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  console.log(`${label.padEnd(52)} ${(performance.now() - start).toFixed(1).padStart(8)} ms (one run)`);
  return result;
}

const source = generate(50);
console.log(`file: ${ITEMS} items in sections of 50, ${source.length} characters, ${source.split('\n').length} lines`);
const outline = time('parseOutline', 5, () => parseOutline(source));
// The same outline from one whole-file parse, as parseOutline did before it read files in pieces.
timeOnce('parseOutline, whole file in one parse (before)', () => parseOutlineWith(wholeFileBlocks, source));
const flat = flattenOutline(outline).filter((n) => n.kind === 'task');
console.log(`parsed: ${flat.length} tasks, ${outline.diagnostics.length} diagnostics`);
time('renderChanges, no changes', 5, () => renderChanges(source, outline, []));
const changes: LocalChange[] = [];
for (let i = 0; i < flat.length; i += 100) {
  const node = flat[i];
  if (node)
    changes.push({
      type: 'update',
      key: node.key,
      values: { text: `${node.text} (edited)`, completed: !node.completed },
    });
}
const last = flat.at(-1);
if (last) changes.push({ type: 'move', key: last.key, parent: null, after: null });
time(`renderChanges, ${changes.length} changes`, 5, () => renderChanges(source, outline, changes));
time('renderChanges, every item updated', 3, () =>
  renderChanges(
    source,
    outline,
    flat.map((n): LocalChange => ({ type: 'update', key: n.key, values: { text: n.text + '!' } })),
  ),
);

// Pieces are cut at headings, so one list of every item under one heading is still one parse, and
// micromark's cost there grows with the square of the list (see src/markdown/markdown-blocks.ts).
const oneList = generate(ITEMS);
console.log(`file: ${ITEMS} items in one list under one heading, ${oneList.length} characters`);
timeOnce('parseOutline, one list', () => parseOutline(oneList));
