import { readToken } from '../../config/index.js';
import { SyncError } from '../../model/errors.js';
import { isTaskadeError, RequestQueue, TaskadeClient, toSyncError } from '../../taskade/index.js';
import { checkIdArgs, JSON_OUT, parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { loadCliConfig } from '../load-config.js';
import { EXIT } from '../../model/exit-codes.js';

const usage = `Usage: taskade-sync ls [workspaces|folders|projects] [ID] [--json]

Lists the ids \`link\` and \`pull\` take, as the token sees them (read-only):
  ls [workspaces]       the token's workspaces
  ls folders [WS]       the folders of workspace WS (default: of every workspace)
  ls projects [FOLDER]  the projects of FOLDER (a workspace id means its home folder;
                        default: every folder of every workspace)

Options:
  --json   one JSON document: {"version":1,"kind":…,"items":[{id,name,workspaceId,folderId}]}

Exit codes: 0 listed; 2 usage or config error, or ID not found; 5 token refused; 6 unreachable.
`;

const KINDS = ['workspaces', 'folders', 'projects'] as const;
type Kind = (typeof KINDS)[number];

interface Row {
  id: string;
  name: string;
  workspaceId?: string;
  folderId?: string;
}

export const command: Command = {
  name: 'ls',
  summary: 'list workspaces, folders or projects with their ids (for link and pull)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('ls', {
      args: argv,
      allowPositionals: true,
      options: { json: JSON_OUT },
    });
    const [kindArg = 'workspaces', id, ...extra] = positionals;
    if (!(KINDS as readonly string[]).includes(kindArg) || extra.length > 0 || (kindArg === 'workspaces' && id))
      throw new SyncError('USAGE', `expected \`ls [workspaces|folders|projects] [ID]\`\n${usage}`);
    const kind = kindArg as Kind;
    checkIdArgs({ ID: id });
    const config = loadCliConfig(io);
    const token = readToken(config, io.env);
    const client = new TaskadeClient({
      baseUrl: config.apiUrl,
      token,
      queue: new RequestQueue({ requestsPerMinute: config.requestsPerMinute }),
    });
    try {
      const rows = await list(client, kind, id);
      if (values.json) io.stdout.write(JSON.stringify({ version: 1, kind, items: rows }, null, 2) + '\n');
      else {
        const width = Math.max(0, ...rows.map((r) => r.id.length));
        for (const r of rows) {
          const where =
            kind === 'workspaces'
              ? ''
              : `  (${kind === 'folders' ? 'workspace' : 'folder'} ${r.folderId ?? r.workspaceId})`;
          io.stdout.write(`${r.id.padEnd(width)}  ${r.name}${where}\n`);
        }
        if (rows.length === 0) io.stderr.write(`no ${kind}\n`);
      }
      return EXIT.OK;
    } catch (error) {
      if (isTaskadeError(error, 'NOT_FOUND'))
        throw new SyncError('USAGE', `${id ?? kind} was not found (or the token cannot see it)`);
      if (isTaskadeError(error)) throw toSyncError(error);
      throw error;
    } finally {
      await client.close();
    }
  },
};

async function list(client: TaskadeClient, kind: Kind, id: string | undefined): Promise<Row[]> {
  const workspaces = await client.listWorkspaces();
  if (kind === 'workspaces') return workspaces.map((w) => ({ id: w.id, name: w.name }));
  if (kind === 'folders') {
    const chosen = id === undefined ? workspaces : workspaces.filter((w) => w.id === id);
    if (chosen.length === 0) throw notAmong('workspace', id!, workspaces);
    const rows: Row[] = [];
    for (const w of chosen)
      for (const f of await client.listFolders(w.id)) rows.push({ id: f.id, name: f.name, workspaceId: w.id });
    return rows;
  }
  const folders: Row[] = [];
  for (const w of workspaces) {
    // The home folder's id is the workspace id; Taskade may or may not list it among the folders.
    const listed = await client.listFolders(w.id);
    if (!listed.some((f) => f.id === w.id)) folders.push({ id: w.id, name: w.name, workspaceId: w.id });
    for (const f of listed) folders.push({ id: f.id, name: f.name, workspaceId: w.id });
  }
  const chosen = id === undefined ? folders : folders.filter((f) => f.id === id);
  if (chosen.length === 0) throw notAmong('folder', id!, folders);
  const rows: Row[] = [];
  for (const f of chosen)
    for (const p of await client.listFolderProjects(f.id))
      rows.push({ id: p.id, name: p.name ?? '', workspaceId: f.workspaceId, folderId: f.id });
  return rows;
}

function notAmong(what: string, id: string, known: Row[]): SyncError {
  return new SyncError(
    'USAGE',
    `${what} ${id} is not among the token's ${what}s (${known.map((k) => k.id).join(', ') || 'none'}); \`taskade-sync ls ${what}s\` lists them`,
  );
}
