import { isMap, isScalar, parseDocument } from 'yaml';
import { SyncError } from '../model/errors.js';
import { idProblem } from '../model/ids.js';
import { dominantEol, joinLines, splitLines } from './lines.js';
import type { Diagnostic } from './types.js';

/**
 * Reads `taskade.project` from the YAML front matter. `firstLine` is the 1-based line of the
 * YAML text (the line after the opening `---`), so diagnostics point into the file. `refused`:
 * the key is there but its value is not a project id (the file means to be linked; say why not).
 */
export function readProjectLink(
  yamlText: string,
  firstLine: number,
): { project: string | null; diagnostics: Diagnostic[]; refused?: true } {
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(yamlText, { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = firstLine + (e.linePos?.[0]?.line ?? 1) - 1;
      diagnostics.push({
        line,
        severity: 'error',
        message: `front matter is not valid YAML: ${e.message.split('\n')[0]}`,
      });
    }
    return { project: null, diagnostics };
  }
  const node = doc.getIn(['taskade', 'project'], true);
  if (node === undefined) return { project: null, diagnostics };
  const value = isScalar(node) ? node.value : node;
  const line = firstLine + lineOf(yamlText, isScalar(node) ? (node.range?.[0] ?? 0) : 0);
  if (typeof value !== 'string' || value.length === 0) {
    diagnostics.push({
      line,
      severity: 'error',
      message: `\`taskade.project\` is ${JSON.stringify(value) ?? typeof value}; expected a Taskade project id (a non-empty string, quote it if it is all digits)`,
    });
    return { project: null, diagnostics, refused: true };
  }
  const problem = idProblem(value);
  if (problem !== null) {
    // It would become a request path (`/projects/../tasks`): refused here, with its line.
    diagnostics.push({ line, severity: 'error', message: `\`taskade.project\` is ${problem}` });
    return { project: null, diagnostics, refused: true };
  }
  return { project: value, diagnostics };
}

/**
 * The cheap look at a file discovery and the watcher take: `taskade.project` from a front matter
 * block at the very top (the same block and the same rules as the full parse), or null when there
 * is none, it is not valid YAML or the value is not a project id. The full parse reports why.
 */
export function frontMatterProject(text: string): string | null {
  return frontMatterLink(text).project;
}

/** frontMatterProject, and whether a `taskade.project` is there but refused (discovery lists the file, the parse says why). */
export function frontMatterLink(text: string): { project: string | null; refused: boolean } {
  const block = frontMatterYaml(text);
  if (block === null) return { project: null, refused: false };
  const link = readProjectLink(block, 2);
  return { project: link.project, refused: link.refused === true };
}

/** The YAML text between an opening `---` on the first line and the next `---` line (as remark-frontmatter reads it). */
function frontMatterYaml(source: string): string | null {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = splitLines(text);
  if (!lines[0] || !/^---[ \t]*$/.test(lines[0].text) || lines[0].eol === '') return null;
  const close = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l.text));
  return close < 0 ? null : joinLines(lines.slice(1, close));
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text[i] === '\n') n += 1;
  return n;
}

/**
 * Adds or updates `taskade.project` in the front matter and touches nothing else: an existing
 * value is replaced in place, a missing key is inserted as one line, and a file without front
 * matter gets a new block at the top (in the file's line endings).
 */
export function setProjectLink(source: string, projectId: string): string {
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = splitLines(source.slice(bom.length));
  const eol = dominantEol(lines);
  const value = /^[A-Za-z0-9_-]+$/.test(projectId) && !/^\d+$/.test(projectId) ? projectId : JSON.stringify(projectId);
  const close =
    lines[0] && /^---[ \t]*$/.test(lines[0].text) && lines[0].eol !== ''
      ? lines.findIndex((l, i) => i > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(l.text))
      : -1;
  if (close < 0) return `${bom}---${eol}taskade:${eol}  project: ${value}${eol}---${eol}${source.slice(bom.length)}`;
  const yamlStart = bom.length + (lines[0]?.text.length ?? 0) + (lines[0]?.eol.length ?? 0);
  const yamlText = joinLines(lines.slice(1, close));
  const splice = (from: number, to: number, text: string): string =>
    source.slice(0, yamlStart + from) + text + source.slice(yamlStart + to);
  const doc = parseDocument(yamlText);
  if (doc.errors.length === 0) {
    const existing = doc.getIn(['taskade', 'project'], true);
    if (isScalar(existing) && existing.range) return splice(existing.range[0], existing.range[1], value);
    const taskade = doc.get('taskade', true);
    if (taskade === undefined || taskade === null) {
      // Append the block at the end of the front matter.
      return splice(yamlText.length, yamlText.length, `taskade:${eol}  project: ${value}${eol}`);
    }
    if (isMap(taskade) && taskade.flow !== true && taskade.items.length > 0) {
      // Insert as the first key of the block mapping, with its indentation.
      const first = taskade.items[0]?.key;
      const keyStart = isScalar(first) && first.range ? first.range[0] : -1;
      const lineStart = yamlText.lastIndexOf('\n', keyStart - 1) + 1;
      const indent = yamlText.slice(lineStart, keyStart);
      if (keyStart >= 0 && /^[ \t]+$/.test(indent))
        return splice(lineStart, lineStart, `${indent}project: ${value}${eol}`);
    }
  }
  // Front matter we cannot edit line by line (`taskade` is a flow mapping): only the front matter
  // is rewritten, through the YAML library. Invalid YAML or a non-mapping `taskade` is refused
  // rather than overwritten.
  if (doc.errors.length > 0) {
    throw new SyncError(
      'PARSE',
      `cannot link: the front matter is not valid YAML (${doc.errors[0]?.message.split('\n')[0]})`,
      { line: 2 },
    );
  }
  const rewritten = doc;
  try {
    rewritten.setIn(['taskade', 'project'], projectId);
  } catch (cause) {
    throw new SyncError(
      'PARSE',
      'cannot link: `taskade` in the front matter is not a mapping; expected `taskade:` with a `project:` key',
      {},
      { cause },
    );
  }
  let text = rewritten.toString().replace(/\r?\n/g, eol);
  if (!text.endsWith(eol)) text += eol;
  return splice(0, yamlText.length, text);
}
