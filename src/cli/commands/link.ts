import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readNote, syncOnce, writeFileIfUnchanged } from '../../engine/index.js';
import { hashContent } from '../../journal/index.js';
import { parseOutline, setProjectLink } from '../../markdown/index.js';
import { SyncError } from '../../model/errors.js';
import { isTaskadeError, toSyncError } from '../../taskade/index.js';
import { checkIdArgs, JSON_OUT, parseCommandArgs, QUIET } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { openEngine } from '../context.js';
import { relativeToRoot } from '../paths.js';
import { toJson } from './sync.js';

const usage = `Usage: taskade-sync link FILE --project ID
       taskade-sync link FILE --new --folder ID

Links a markdown file to a Taskade project by writing \`taskade.project\` into its front matter,
then syncs it once. With --project, items already on both sides are matched by content and
linked (nothing is deleted on either side); the rest is added on both sides. With --new, a
project is created in the folder (or workspace home) ID, named after the file's H1 title (or its
file name), and the file's tasks are pushed into it.

Options:
  --project ID   an existing project
  --new          create a new project…
  --folder ID    …in this folder (a workspace id means its home folder)
  --json         print the sync report as one JSON document (the \`sync --json\` form)
  -q, --quiet    print only warnings and errors
`;

export const command: Command = {
  name: 'link',
  summary: 'link a markdown file to a Taskade project (or a new one) and sync it',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('link', {
      args: argv,
      allowPositionals: true,
      options: {
        project: { type: 'string' },
        new: { type: 'boolean', default: false },
        folder: { type: 'string' },
        json: JSON_OUT,
        quiet: QUIET,
      },
    });
    if (positionals.length !== 1)
      throw new SyncError('USAGE', `expected exactly one FILE, got ${positionals.length}\n${usage}`);
    const byProject = values.project !== undefined;
    const byNew = values.new === true;
    if (byProject === byNew || (byNew && values.folder === undefined) || (byProject && values.folder !== undefined)) {
      throw new SyncError('USAGE', `expected either --project ID, or --new --folder ID\n${usage}`);
    }
    checkIdArgs({ '--project': values.project, '--folder': values.folder });
    const ctx = await openEngine(io, { purpose: 'link', log: { quiet: values.quiet, json: values.json } });
    try {
      const { journal, client } = ctx.deps;
      const rel = relativeToRoot(ctx.config.root, io.cwd, positionals[0]!);
      const abs = join(ctx.config.root, rel);
      if (!existsSync(abs))
        throw new SyncError('USAGE', `${positionals[0]} does not exist; create the file first (it may be empty)`, {
          file: rel,
        });
      const source = readNote(ctx.config.root, rel);
      const outline = parseOutline(source, { path: rel });
      const linkedTo = journal.getLinkByPath(rel);

      let projectId: string;
      try {
        if (byProject) {
          projectId = values.project!;
          // Relinking to another project would push every item into it as new: make it deliberate.
          const current = outline.project ?? linkedTo?.projectId ?? null;
          if (current !== null && current !== projectId) {
            throw new SyncError(
              'USAGE',
              `${rel} is already linked to project ${current}; to link it to ${projectId}, first remove \`taskade.project\` from its front matter`,
              { file: rel, projectId: current },
            );
          }
          const holder = journal.getLinkByProject(projectId);
          if (holder !== null && holder.path !== rel && existsSync(join(ctx.config.root, holder.path))) {
            throw new SyncError('USAGE', `project ${projectId} is already linked to ${holder.path}`, {
              projectId,
              path: holder.path,
            });
          }
          await client.getProject(projectId); // fails early, naming the project, if it does not exist
        } else {
          if (outline.project !== null || linkedTo !== null) {
            throw new SyncError(
              'USAGE',
              `${rel} is already linked to project ${outline.project ?? linkedTo!.projectId}`,
              { file: rel },
            );
          }
          const title = outline.title ?? basename(rel, extname(rel));
          // Title only: the tasks then go through the normal create path, so their ids come back.
          const project = await client.createProject({ folderId: values.folder!, content: `# ${title}\n` });
          projectId = project.id;
          // With --json, stdout carries only the document: the human line goes to stderr.
          if (!values.quiet)
            (values.json ? io.stderr : io.stdout).write(`created project ${projectId} “${project.name ?? title}”\n`);
        }
      } catch (error) {
        if (isTaskadeError(error, 'NOT_FOUND')) {
          throw new SyncError(
            'USAGE',
            byProject
              ? `project ${values.project} was not found (or the token cannot see it)`
              : `folder ${values.folder} was not found`,
          );
        }
        if (isTaskadeError(error)) throw toSyncError(error);
        throw error;
      }
      const linked = setProjectLink(source, projectId);
      if (linked !== source && !writeFileIfUnchanged(abs, linked, hashContent(source))) {
        throw new SyncError('USAGE', `${rel} changed while it was being linked; try again`);
      }
      const report = await syncOnce(ctx.deps, {
        files: [rel],
        signal: io.signal,
        runKind: 'link',
        streamDetails: true,
      });
      const stopped = ctx.stopped();
      if (stopped !== null) return stopped;
      if (values.json) io.stdout.write(JSON.stringify(toJson(report), null, 2) + '\n');
      else
        io.stdout.write(
          `linked ${rel} to project ${projectId}: ${report.files[0]?.outcome ?? 'not synced'}; ${report.requests.reads} reads, ${report.requests.writes} writes\n`,
        );
      return report.exitCode;
    } finally {
      await ctx.close();
    }
  },
};
