import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { discoverLinkedFiles, pathInsideRoot, realPathInsideRoot, safeSegment, syncOnce } from '../../engine/index.js';
import { renderNewFile } from '../../markdown/index.js';
import { SyncError } from '../../model/errors.js';
import { isTaskadeError, toSyncError, type ApiProject, type TaskadeClient } from '../../taskade/index.js';
import { checkIdArgs, JSON_OUT, parseCommandArgs, QUIET } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { openEngine } from '../context.js';
import { relativeToRoot } from '../paths.js';
import { toJson } from './sync.js';

const usage = `Usage: taskade-sync pull (--project ID | --folder ID | --workspace ID) [--into DIR]

Writes one markdown file per project, linked by its front matter, with the project's tasks:
  --workspace W   every project of the workspace: DIR/<workspace>/<project>.md for its home
                  folder, DIR/<workspace>/<folder>/<project>.md for each of its folders
  --folder F      every project of one folder: DIR/<workspace>/<folder>/<project>.md
  --project P     one project: DIR/<project>.md
DIR defaults to the notes root and must lie inside it. Names are made safe for every OS. A
project that already has a linked file is synced instead of written again.

Options:
  --into DIR   where to write (default: the notes root)
  --json       print the sync report as one JSON document (the \`sync --json\` form)
  -q, --quiet  print only warnings and errors
`;

interface Wanted {
  project: ApiProject;
  /** Folder segments below DIR (already safe). */
  dir: string[];
}

export const command: Command = {
  name: 'pull',
  summary: 'write one file per Taskade project (of a project, folder or workspace)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('pull', {
      args: argv,
      options: {
        project: { type: 'string' },
        folder: { type: 'string' },
        workspace: { type: 'string' },
        into: { type: 'string' },
        json: JSON_OUT,
        quiet: QUIET,
      },
    });
    const given = [values.project, values.folder, values.workspace].filter((v) => v !== undefined).length;
    if (given !== 1) throw new SyncError('USAGE', `expected exactly one of --project, --folder, --workspace\n${usage}`);
    checkIdArgs({ '--project': values.project, '--folder': values.folder, '--workspace': values.workspace });
    const ctx = await openEngine(io, { purpose: 'pull', log: { quiet: values.quiet, json: values.json } });
    try {
      const root = ctx.config.root;
      const into = values.into === undefined ? '' : relativeOrRoot(root, io.cwd, values.into);
      let wanted: Wanted[];
      try {
        wanted = await projectsToPull(ctx.deps.client, values);
      } catch (error) {
        if (isTaskadeError(error, 'NOT_FOUND'))
          throw new SyncError(
            'USAGE',
            `${values.project ?? values.folder ?? values.workspace} was not found (or the token cannot see it)`,
          );
        if (isTaskadeError(error)) throw toSyncError(error);
        throw error;
      }
      const linked = new Map<string, string>();
      for (const f of discoverLinkedFiles(ctx.config, ctx.deps.journal))
        if (f.projectId !== null) linked.set(f.projectId, f.path);
      for (const l of ctx.deps.journal.listLinks())
        if (!linked.has(l.projectId) && existsSync(join(root, l.path))) linked.set(l.projectId, l.path);

      const files: string[] = [];
      const taken = new Set<string>();
      for (const { project, dir } of wanted) {
        const existing = linked.get(project.id);
        if (existing !== undefined) {
          files.push(existing);
          continue;
        }
        const name = project.name ?? project.id;
        let rel = pathInsideRoot(root, [...(into === '' ? [] : [into]), ...dir, `${safeSegment(name)}.md`]);
        // Two projects of one name, or a file that is not this project's: keep both, tell them apart by id.
        if (taken.has(rel) || existsSync(join(root, rel))) {
          rel = pathInsideRoot(root, [
            ...(into === '' ? [] : [into]),
            ...dir,
            `${safeSegment(name)} (${safeSegment(project.id)}).md`,
          ]);
        }
        taken.add(rel);
        // A folder on the way may be a symbolic link out of the root: refuse before creating anything.
        const abs = realPathInsideRoot(root, rel);
        mkdirSync(dirname(abs), { recursive: true });
        // The file starts with its link and title; the first sync fills in the tasks with their ids.
        writeFileSync(abs, renderNewFile({ project: project.id, title: name, tasks: [] }), { flag: 'wx' });
        files.push(rel);
        if (!values.quiet && !values.json) io.stdout.write(`${rel} ← project ${project.id} “${name}”\n`);
      }
      const report = await syncOnce(ctx.deps, { files, signal: io.signal, runKind: 'pull', streamDetails: true });
      const stopped = ctx.stopped();
      if (stopped !== null) return stopped;
      if (values.json) io.stdout.write(JSON.stringify(toJson(report), null, 2) + '\n');
      else if (!values.quiet)
        io.stdout.write(
          `pulled ${files.length} project(s); ${report.requests.reads} reads, ${report.requests.writes} writes\n`,
        );
      return report.exitCode;
    } finally {
      await ctx.close();
    }
  },
};

function relativeOrRoot(root: string, cwd: string, dir: string): string {
  return resolve(cwd, dir) === resolve(root) ? '' : relativeToRoot(root, cwd, dir);
}

async function projectsToPull(
  client: TaskadeClient,
  o: { project?: string; folder?: string; workspace?: string },
): Promise<Wanted[]> {
  if (o.project !== undefined) return [{ project: await client.getProject(o.project), dir: [] }];
  const workspaces = await client.listWorkspaces();
  if (o.workspace !== undefined) {
    const ws = workspaces.find((w) => w.id === o.workspace);
    if (ws === undefined)
      throw new SyncError(
        'USAGE',
        `workspace ${o.workspace} is not among the token's workspaces (${workspaces.map((w) => w.id).join(', ') || 'none'})`,
      );
    const out: Wanted[] = (await client.listFolderProjects(ws.id)).map((p) => ({
      project: p,
      dir: [safeSegment(ws.name)],
    }));
    for (const folder of await client.listFolders(ws.id)) {
      if (folder.id === ws.id) continue;
      for (const p of await client.listFolderProjects(folder.id))
        out.push({ project: p, dir: [safeSegment(ws.name), safeSegment(folder.name)] });
    }
    return out;
  }
  const folderId = o.folder!;
  for (const ws of workspaces) {
    if (ws.id === folderId)
      return (await client.listFolderProjects(ws.id)).map((p) => ({ project: p, dir: [safeSegment(ws.name)] }));
    const folder = (await client.listFolders(ws.id)).find((f) => f.id === folderId);
    if (folder !== undefined) {
      return (await client.listFolderProjects(folder.id)).map((p) => ({
        project: p,
        dir: [safeSegment(ws.name), safeSegment(folder.name)],
      }));
    }
  }
  throw new SyncError('USAGE', `folder ${folderId} is not in any of the token's workspaces`);
}
