import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'taskade-sync-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOTE = [
  '---',
  'taskade:',
  '  project: p1',
  '---',
  '# Roadmap',
  '## Next',
  '- [ ] Ship @alice ⏰ 15:30 Europe/Paris 📅 2026-12-01 ^tk-099630d4',
  '  a note',
  '  - [x] Child',
  '- [ ] copy ^tk-099630d4',
  '',
].join('\n');

describe('taskade-sync inspect', () => {
  test('--json prints the stable form', async () => {
    writeFileSync(join(dir, 'note.md'), NOTE);
    const result = await runCli(['inspect', 'note.md', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      project: 'p1',
      title: 'Roadmap',
      tasks: [
        {
          id: null,
          text: 'Next',
          completed: false,
          kind: 'section',
          note: null,
          due: null,
          assignees: [],
          line: 6,
          children: [
            {
              id: '099630d4',
              text: 'Ship',
              completed: false,
              kind: 'task',
              note: 'a note',
              due: { date: '2026-12-01', time: '15:30', timezone: 'Europe/Paris' },
              assignees: ['alice'],
              line: 7,
              children: [
                {
                  id: null,
                  text: 'Child',
                  completed: true,
                  kind: 'task',
                  note: null,
                  due: null,
                  assignees: [],
                  line: 9,
                  children: [],
                },
              ],
            },
            {
              id: null,
              text: 'copy',
              completed: false,
              kind: 'task',
              note: null,
              due: null,
              assignees: [],
              line: 10,
              children: [],
            },
          ],
        },
      ],
      diagnostics: [
        { line: 10, message: 'block id ^tk-099630d4 is already used on line 7; this item is read as a new task' },
      ],
    });
  });

  test('the human form is an indented tree with line numbers, and warnings still exit 0', async () => {
    writeFileSync(join(dir, 'note.md'), NOTE);
    const result = await runCli(['inspect', 'note.md'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(' 7      [ ] Ship  📅 2026-12-01 15:30 Europe/Paris  @alice  ^tk-099630d4');
    expect(result.stdout).toContain(' 9        [x] Child');
    expect(result.stdout).toContain('line 10: warning: block id ^tk-099630d4 is already used on line 7');
  });

  test('a file that cannot be read exits 2 and names it', async () => {
    const result = await runCli(['inspect', 'missing.md'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read missing.md (ENOENT)');
  });

  test('no FILE is a usage error', async () => {
    const result = await runCli(['inspect'], { cwd: dir });
    expect(result.code).toBe(2);
  });
});
