/**
 * Wire types of the Taskade Public API v1, following the schemas of
 * `spec/taskade-v1/api-0.1.0.json` (components.schemas and the sync-relevant operations).
 * Shared by the client (`src/taskade/`) and the simulator (`src/simulator/`).
 */

/** components.schemas.Task */
export interface ApiTask {
  id: string;
  text?: string;
  parentId?: string;
  completed?: boolean;
}

/** components.schemas.Project */
export interface ApiProject {
  id: string;
  name?: string;
}

/** Items of GET /workspaces and GET /workspaces/{id}/folders. */
export interface ApiWorkspace {
  id: string;
  name: string;
}
export type ApiFolder = ApiWorkspace;

/** components.schemas.TaskNote */
export interface ApiTaskNote {
  type: string;
  value: string;
}

/** components.schemas.Date */
export interface ApiDate {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM` or `HH:MM:SS` */
  time?: string | null;
  /** IANA time zone */
  timezone?: string | null;
}

/** Item of GET …/date. `end` may also be `{period}` (meaning undocumented) or null. */
export interface ApiTaskDate {
  start: ApiDate;
  end?: ApiDate | { period: string } | null;
}

/** components.schemas.User */
export interface ApiUser {
  handle: string;
  displayName?: string;
}

/** components.schemas.Error — the body of every 4XX. */
export interface ApiError {
  ok: false;
  message: string;
  code: string;
  statusMessage: string;
}

/** DOM-style positions (insertAdjacentElement): sibling before/after, first/last child. */
export type Placement = 'beforebegin' | 'afterbegin' | 'beforeend' | 'afterend';
export const PLACEMENTS: readonly Placement[] = ['beforebegin', 'afterbegin', 'beforeend', 'afterend'];

export type ContentType = 'text/markdown' | 'text/plain';

/** One element of POST /projects/{id}/tasks/ `tasks[]`. Without `taskId`, only afterbegin/beforeend. */
export type ApiTaskCreateInput =
  | { contentType: ContentType; content: string; placement: 'afterbegin' | 'beforeend'; taskId?: null }
  | { contentType: ContentType; content: string; placement: Placement; taskId: string };

export interface ApiTaskCreateRequest {
  tasks: ApiTaskCreateInput[];
}

export interface ApiTaskUpdateRequest {
  contentType: ContentType;
  content: string;
}

export interface ApiTaskMoveRequest {
  target: { taskId: string; position: Placement };
}

export interface ApiNotePutRequest {
  type: ContentType;
  value: string;
}

export interface ApiDatePutRequest {
  start: ApiDate;
  end?: ApiDate;
}

export interface ApiAssigneesPutRequest {
  handles: string[];
}

export interface ApiProjectCreateRequest {
  folderId: string;
  contentType: 'text/markdown';
  content: string;
}
