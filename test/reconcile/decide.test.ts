import { describe, expect, it } from 'vitest';
import type { Intent } from '../../src/journal/index.js';
import { EXIT } from '../../src/model/exit-codes.js';
import { runOutcome } from '../../src/model/outcome.js';
import {
  decide,
  fileChanges,
  fileOutcome,
  GUARD_READS_MAX,
  readCount,
  readsBeforeGuard,
  unverifiedReads,
} from '../../src/reconcile/decide.js';
import { DEFAULT_PLAN_OPTIONS } from '../../src/reconcile/index.js';
import { localTasks, records, remoteTasks } from './support/outline.js';

const options = { ...DEFAULT_PLAN_OPTIONS };
const intent = (id: number, text: string): Intent => ({
  id,
  projectId: 'P',
  ref: `new:${text}`,
  parentId: null,
  afterId: null,
  text,
  batch: 'b',
  at: 1,
});

describe('decide', () => {
  const six = '- [a] a\n- [b] b\n- [c] c\n- [d] d\n- [e] e\n- [f] f\n';

  it('applies a plan when no guard fires', () => {
    const d = decide({
      base: records('- [a] a\n'),
      local: localTasks('- [a] a edited\n'),
      remote: remoteTasks('- [a] a\n'),
      pending: [],
      adoptions: [],
      options,
      dryRun: false,
    });
    expect(d.verdict).toEqual({ kind: 'apply' });
    expect(d.plan.remote).toEqual([{ op: 'update-text', id: 'a', text: 'a edited' }]);
  });

  it('refuses a mass delete with the message the user sees, unless forced', () => {
    const inputs = {
      base: records(six),
      local: localTasks('- [a] a\n'),
      remote: remoteTasks(six),
      pending: [],
      adoptions: [],
      dryRun: false,
    };
    expect(decide({ ...inputs, options }).verdict).toEqual({
      kind: 'guard',
      message:
        'this run would delete 5 of 6 tasks on the remote side; nothing changed (run with --force if this is intended)',
    });
    const forced = decide({ ...inputs, options: { ...options, force: true } });
    expect(forced.verdict).toEqual({ kind: 'apply' });
    expect(forced.plan.remote.filter((op) => op.op === 'delete')).toHaveLength(5);
  });

  it('names an empty side', () => {
    const d = decide({
      base: records(six),
      local: [],
      remote: remoteTasks(six),
      pending: [],
      adoptions: [],
      options,
      dryRun: false,
    });
    expect(d.verdict).toMatchObject({ kind: 'guard', message: expect.stringMatching(/^the local side is empty/) });
  });

  it('a dry run answers with the outcome a real run would have', () => {
    const base = records('- [a] a\n');
    const same = { base, remote: remoteTasks('- [a] a\n'), adoptions: [], options, dryRun: true };
    expect(decide({ ...same, local: localTasks('- [a] a\n'), pending: [] }).verdict).toEqual({
      kind: 'dry-run',
      outcome: 'unchanged',
    });
    expect(decide({ ...same, local: localTasks('- [a] b\n'), pending: [] }).verdict).toEqual({
      kind: 'dry-run',
      outcome: 'synced',
    });
  });

  it('with no base, an adopted task is planned with the local values and the differences pushed', () => {
    const d = decide({
      base: null,
      local: localTasks('- [t1] one | done note=n\n'),
      remote: remoteTasks('- [t1] one\n'),
      pending: [],
      adoptions: [{ intent: intent(1, 'one'), taskId: 't1', localKey: 't1' }],
      options,
      dryRun: false,
    });
    expect(d.plan.conflicts).toEqual([]);
    expect(d.plan.remote).toEqual([
      { op: 'set-completed', id: 't1', completed: true },
      { op: 'set-note', id: 't1', note: 'n' },
    ]);
  });
});

describe('fileChanges', () => {
  const created = new Map([
    ['new:k1', 'T1'],
    ['new:gone', 'T2'],
  ]);

  it('writes the ids of created tasks whose item is still in the file, and of adopted ones', () => {
    const changes = fileChanges({
      local: [],
      created,
      adoptions: [{ intent: intent(1, 'x'), taskId: 'T3', localKey: 'k3' }],
      keys: new Set(['k1', 'k3']),
      ids: 'block',
    });
    expect(changes).toEqual([
      { type: 'set-id', key: 'k1', id: 'T1' },
      { type: 'set-id', key: 'k3', id: 'T3' },
    ]);
  });

  it('with ids: none writes no id, not even inside inserted items', () => {
    const changes = fileChanges({
      local: [
        {
          type: 'insert',
          parent: null,
          after: null,
          item: {
            key: 'r1',
            id: 'R1',
            kind: 'task',
            values: { text: 'from Taskade', completed: false, note: null, due: null, assignees: [] },
            children: [],
          },
        },
      ],
      created,
      adoptions: [],
      keys: new Set(['k1']),
      ids: 'none',
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: 'insert', item: { id: null } });
  });

  it('removes an old heading id only where no other id is written for it', () => {
    const changes = fileChanges({
      local: [],
      created: new Map([['new:h1', 'NEW']]),
      adoptions: [],
      keys: new Set(['h1', 'h2']),
      headingIds: new Map([
        ['h1', 'OLD'],
        ['h2', 'H2'],
      ]),
      ids: 'block',
    });
    expect(changes).toEqual([
      { type: 'set-id', key: 'h1', id: 'NEW' },
      { type: 'set-id', key: 'h2', id: 'H2' },
    ]);
  });
});

describe('fileOutcome and runOutcome', () => {
  const quiet = { failedOps: 0, held: false, conflicts: 0, stillPending: 0, remoteOps: 0, fileChanged: false };

  it('a file: failed before held before conflicts before synced', () => {
    expect(fileOutcome(quiet)).toBe('unchanged');
    expect(fileOutcome({ ...quiet, remoteOps: 1 })).toBe('synced');
    expect(fileOutcome({ ...quiet, fileChanged: true })).toBe('synced');
    expect(fileOutcome({ ...quiet, stillPending: 1, remoteOps: 1 })).toBe('conflicts');
    expect(fileOutcome({ ...quiet, held: true, conflicts: 1 })).toBe('held');
    expect(fileOutcome({ ...quiet, failedOps: 1, held: true })).toBe('failed');
  });

  it('a run: token refused, unreachable, guard, failed, conflicts, in that order (DESIGN §4)', () => {
    const files = [{ outcome: 'conflicts' as const }, { outcome: 'guard' as const }];
    expect(runOutcome(files, 'AUTH')).toEqual({ outcome: 'partial', exitCode: EXIT.AUTH });
    expect(runOutcome([{ outcome: 'guard' }], 'UNREACHABLE')).toEqual({
      outcome: 'failed',
      exitCode: EXIT.UNREACHABLE,
    });
    expect(runOutcome(files, null)).toEqual({ outcome: 'guard', exitCode: EXIT.SAFETY_GUARD });
    expect(runOutcome([{ outcome: 'failed', failure: 'unreachable' }, { outcome: 'synced' }], null)).toEqual({
      outcome: 'partial',
      exitCode: EXIT.UNREACHABLE,
    });
    expect(runOutcome([{ outcome: 'failed', failure: 'other' }], null)).toEqual({
      outcome: 'failed',
      exitCode: EXIT.UNEXPECTED,
    });
    expect(runOutcome([{ outcome: 'conflicts' }, { outcome: 'held' }], null)).toEqual({
      outcome: 'conflicts',
      exitCode: EXIT.CONFLICTS,
    });
    expect(runOutcome([{ outcome: 'held' }, { outcome: 'skipped' }], null)).toEqual({
      outcome: 'partial',
      exitCode: EXIT.OK,
    });
    expect(runOutcome([{ outcome: 'skipped' }], null)).toEqual({ outcome: 'ok', exitCode: EXIT.OK });
  });
});

describe('unverifiedReads', () => {
  const wantedFor = (base: string, remote: string, local: string, unread: string[]) => {
    const r = remoteTasks(remote, unread);
    const l = localTasks(local);
    const d = decide({
      base: records(base),
      local: l,
      remote: r,
      pending: [],
      adoptions: [],
      options,
      dryRun: false,
    });
    return unverifiedReads(d.plan, r, l);
  };
  const plan = (remote: string, local: string, unread: string[]) => wantedFor(remote, remote, local, unread);
  const all = () => new Set(['note', 'due', 'assignees']);

  it('names the one field a plan would overwrite unread', () => {
    expect(plan('- [a] a | note=old\n- [b] b\n', '- [a] a | note=new\n- [b] b\n', ['a', 'b'])).toEqual(
      new Map([['a', new Set(['note'])]]),
    );
  });

  it('names every sub-resource of every task of a subtree it would delete', () => {
    const wanted = plan('- [a] a\n  - [a1] a1\n- [b] b\n', '- [b] b\n', ['a', 'a1', 'b']);
    expect(wanted).toEqual(
      new Map([
        ['a', all()],
        ['a1', all()],
      ]),
    );
  });

  // The file deleted t1's subtree; in Taskade a task under t1 changed, so the plan keeps t1 to hold
  // it and deletes the rest. Had Taskade edited t1's note, date or assignees, t1 would keep its
  // whole subtree (an edit beats a delete): t1's sub-resources are read before t2 is deleted.
  const t1 = '- [t1] t1\n  - [t2] t2\n  - [t3] t3\n- [t5] t5\n';
  it('names the sub-resources of an ancestor the file deleted, kept for a task added under it in Taskade', () => {
    const wanted = wantedFor(t1, `${t1.replace('- [t5]', '  - [t4] t4\n- [t5]')}`, '- [t5] t5\n', ['t1', 't2', 't3']);
    expect(wanted).toEqual(
      new Map([
        ['t2', all()],
        ['t3', all()],
        ['t1', all()],
      ]),
    );
  });

  it('… for a task edited under it in Taskade', () => {
    const wanted = wantedFor(t1, t1.replace('] t3', '] t3 edited'), '- [t5] t5\n', ['t1', 't2', 't3']);
    expect(wanted).toEqual(
      new Map([
        ['t2', all()],
        ['t1', all()],
      ]),
    );
  });

  it('… for a task moved under it in Taskade', () => {
    const moved = '- [t1] t1\n  - [t5] t5\n  - [t2] t2\n  - [t3] t3\n';
    const wanted = wantedFor(t1, moved, '- [t5] t5\n', ['t1', 't2', 't3', 't5']);
    expect(wanted).toEqual(
      new Map([
        ['t2', all()],
        ['t3', all()],
        ['t1', all()],
      ]),
    );
  });

  it('reads no ancestor the file still holds', () => {
    expect(wantedFor(t1, t1, '- [t1] t1\n  - [t3] t3\n- [t5] t5\n', ['t1', 't2', 't3', 't5'])).toEqual(
      new Map([['t2', all()]]),
    );
  });

  it('needs nothing when the values were read, or for text and completion (they are in the list)', () => {
    expect(plan('- [a] a | note=old\n', '- [a] a | note=new\n', []).size).toBe(0);
    expect(plan('- [a] a\n', '- [a] a2 | done\n', ['a']).size).toBe(0);
  });
});

describe('readsBeforeGuard', () => {
  const six = '- [a] a\n- [b] b\n- [c] c\n- [d] d\n- [e] e\n- [f] f\n';
  const all = () => new Set(['note', 'due', 'assignees']);
  const inputFor = (local: string, unread: string[]) => ({
    base: records(six),
    local: localTasks(local),
    remote: remoteTasks(six, unread),
    pending: [],
    adoptions: [],
    options,
    dryRun: false,
  });

  it('a mass delete waits for the reads the plan would owe if it were applied', () => {
    const input = inputFor('- [a] a\n', ['b', 'c', 'd', 'e', 'f']);
    const wanted = readsBeforeGuard(input, decide(input), 0);
    expect(wanted).toEqual(new Map(['b', 'c', 'd', 'e', 'f'].map((id) => [id, all()])));
    expect(readCount(wanted)).toBe(15);
  });

  it('… only while they stay within GUARD_READS_MAX with those read before for the same verdict', () => {
    const input = inputFor('- [a] a\n', ['b', 'c', 'd', 'e', 'f']);
    expect(readCount(readsBeforeGuard(input, decide(input), GUARD_READS_MAX - 15))).toBe(15);
    expect(readsBeforeGuard(input, decide(input), GUARD_READS_MAX - 14).size).toBe(0);
  });

  it('the verdict stands when everything it would delete was read', () => {
    const input = inputFor('- [a] a\n', []);
    expect(decide(input).verdict.kind).toBe('guard');
    expect(readsBeforeGuard(input, decide(input), 0).size).toBe(0);
  });

  it('an empty side stands before any read', () => {
    const input = { ...inputFor('', ['a', 'b', 'c', 'd', 'e', 'f']), local: [] };
    expect(decide(input).plan.guard).toMatchObject({ reason: 'empty-side' });
    expect(readsBeforeGuard(input, decide(input), 0).size).toBe(0);
  });

  it('asks nothing of a plan no guard stopped', () => {
    const input = inputFor(six.replace('] f', '] f edited'), ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(decide(input).verdict.kind).toBe('apply');
    expect(readsBeforeGuard(input, decide(input), 0).size).toBe(0);
  });
});
