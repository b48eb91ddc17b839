/**
 * A unified diff (`diff -u` form) of two texts, for `sync --dry-run`. Written here rather than
 * taken from a library because the need is small: a sync changes a few lines of a note, so after
 * the common head and tail are set aside, a textbook LCS table over the lines between is cheap.
 * Past MAX_CELLS (e.g. 2,000 × 2,000 changed lines) the middle is shown as removed and added
 * whole: still a correct diff, only not the shortest.
 */

const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; text: string };

/**
 * Lines with their line breaks, so that a last line without one differs from the same text with
 * one (diff prints it with "\ No newline at end of file").
 */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The edit script from `a` to `b`: kept, removed and added lines in order. */
export function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail])
    tail += 1;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((text) => ({ kind: ' ', text }));
  ops.push(...middle(x, y));
  ops.push(...a.slice(a.length - tail).map((text) => ({ kind: ' ' as const, text })));
  return ops;
}

function middle(x: string[], y: string[]): Op[] {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS)
    return [...x.map((text) => ({ kind: '-' as const, text })), ...y.map((text) => ({ kind: '+' as const, text }))];
  // lcs[i][j] = length of the longest common subsequence of x[i..] and y[j..].
  const w = m + 1;
  const lcs = new Int32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i -= 1)
    for (let j = m - 1; j >= 0; j -= 1)
      lcs[i * w + j] =
        x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      ops.push({ kind: ' ', text: x[i]! });
      i += 1;
      j += 1;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) ops.push({ kind: '-', text: x[i++]! });
    else ops.push({ kind: '+', text: y[j++]! });
  }
  while (i < n) ops.push({ kind: '-', text: x[i++]! });
  while (j < m) ops.push({ kind: '+', text: y[j++]! });
  return ops;
}

/** `--- from` / `+++ to` and hunks with `context` lines around each change; '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, o: { from: string; to: string; context?: number }): string {
  if (before === after) return '';
  const context = o.context ?? 3;
  const ops = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${o.from}`, `+++ ${o.to}`];
  // Line numbers before each op, in a and in b.
  const at: Array<{ ai: number; bi: number }> = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    at.push({ ai, bi });
    if (op.kind !== '+') ai += 1;
    if (op.kind !== '-') bi += 1;
  }
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = changed[k]!;
    while (k + 1 < changed.length && changed[k + 1]! - end <= 2 * context) end = changed[++k]!;
    k += 1;
    const stop = Math.min(ops.length, end + context + 1);
    const hunk = ops.slice(start, stop);
    const aLen = hunk.filter((op) => op.kind !== '+').length;
    const bLen = hunk.filter((op) => op.kind !== '-').length;
    const aStart = aLen === 0 ? at[start]!.ai : at[start]!.ai + 1;
    const bStart = bLen === 0 ? at[start]!.bi : at[start]!.bi + 1;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const op of hunk) {
      const open = !op.text.endsWith('\n');
      out.push(`${op.kind}${open ? op.text : op.text.slice(0, -1)}`);
      if (open) out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}
