/**
 * Parse and render of a generated 10,000-item notes file, and parse of the shapes that once grew
 * faster than the file (one nested list of many items; one list nested very deep), each beside a
 * bare `unified().use(remarkParse).use(remarkGfm)` parse of the same text (run: `npx tsx bench/markdown.ts`).
 * Not a test: prints wall-clock figures for the README and reviews, asserts nothing about time.
 */
import { performance } from 'node:perf_hooks';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { flattenOutline, parseOutline, renderChanges } from '../src/markdown/index.js';
import { wholeFileBlocks } from '../src/markdown/remark-blocks.js';
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

// Pieces are cut at headings, so one list of every item under one heading is one parse: it is linear
// only with a micromark that is (4.0.2 is; 4.0.3 copies the event list each time items close).
const oneList = generate(ITEMS);
console.log(`file: ${ITEMS} items in one list under one heading, ${oneList.length} characters`);
timeOnce('parseOutline, one list', () => parseOutline(oneList));

const bare = unified().use(remarkParse).use(remarkGfm);

/** One run each of the bare parse and of parseOutline, side by side. */
function sideBySide(label: string, text: string): void {
  const t0 = performance.now();
  bare.parse(text);
  const t1 = performance.now();
  parseOutline(text);
  const t2 = performance.now();
  const [b, o] = [t1 - t0, t2 - t1];
  console.log(
    `${label.padEnd(28)} ${String(text.length).padStart(9)} chars  bare ${b.toFixed(0).padStart(7)} ms  parseOutline ${o.toFixed(0).padStart(7)} ms  ratio ${(o / b).toFixed(2)}`,
  );
}

/** A title and one list of `n` items nesting 0–3 deep, every fifth with a note line: no heading to cut at. */
function nestedList(n: number): string {
  const lines = ['# One list', ''];
  for (let i = 0; i < n; i += 1) {
    const depth = i % 4;
    lines.push(`${'  '.repeat(depth)}- [ ] Task ${i} with some words ^tk-${String(i).padStart(8, '0')}`);
    if (i % 5 === 0) lines.push(`${'  '.repeat(depth + 1)}A note line for task ${i}.`);
  }
  return lines.join('\n') + '\n';
}

/** One item per level, each nested in the one before: `depth` levels. */
function deepList(depth: number): string {
  const lines: string[] = [];
  for (let i = 0; i < depth; i += 1) lines.push(`${'  '.repeat(i)}- [ ] Level ${i}`);
  return lines.join('\n') + '\n';
}

sideBySide('warm-up', nestedList(200));
console.log('one nested list (one run each):');
for (const n of [1_000, 10_000, 20_000]) sideBySide(`${n} items`, nestedList(n));
console.log('one list nested deep (one run each):');
for (const d of [100, 400, 800]) sideBySide(`${d} levels`, deepList(d));
