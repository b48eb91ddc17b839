import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectJson } from '../../src/cli/commands/inspect.js';
import { parseOutline, renderChanges, type Outline, type OutlineNode } from '../../src/markdown/index.js';
import type { LocalChange } from '../../src/model/local-change.js';

/**
 * Named fixtures in test/fixtures/markdown/<case>/: `input.md` and `expected.json` (the outline in
 * the `inspect --json` form, plus each node's `key` and `conflicts` and each diagnostic's severity);
 * render cases add `changes.json` (LocalChange[]) and `output.md`.
 * `UPDATE_FIXTURES=1` rewrites the expected files (review the diff before committing).
 */
const ROOT = join(import.meta.dirname, '../fixtures/markdown');
const update = process.env.UPDATE_FIXTURES === '1';

function fixtureForm(outline: Outline): unknown {
  const json = inspectJson(outline);
  const extra = (nodes: OutlineNode[], out: Array<Record<string, unknown>>): void => {
    nodes.forEach((n, i) => {
      const o = out[i] as Record<string, unknown>;
      o.key = n.key;
      if (n.conflicts.length > 0) o.conflicts = n.conflicts;
      extra(n.children, o.children as Array<Record<string, unknown>>);
    });
  };
  extra(outline.tasks, json.tasks as unknown as Array<Record<string, unknown>>);
  return { ...json, diagnostics: outline.diagnostics };
}

function check(file: string, actual: string): void {
  if (update || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe.each(readdirSync(ROOT).sort())('%s', (name) => {
  const dir = join(ROOT, name);
  const input = readFileSync(join(dir, 'input.md'), 'utf8');

  test('parses to the expected outline', () => {
    check(join(dir, 'expected.json'), JSON.stringify(fixtureForm(parseOutline(input)), null, 2) + '\n');
  });

  test('renders back unchanged when nothing changes', () => {
    expect(renderChanges(input, parseOutline(input), [])).toBe(input);
  });

  if (existsSync(join(dir, 'changes.json'))) {
    test('applies its changes in place', () => {
      const changes = JSON.parse(readFileSync(join(dir, 'changes.json'), 'utf8')) as LocalChange[];
      const output = renderChanges(input, parseOutline(input), changes);
      check(join(dir, 'output.md'), output);
      // The rendered file is a fixed point: nothing to change renders it unchanged.
      expect(renderChanges(output, parseOutline(output), [])).toBe(output);
    });
  }
});
