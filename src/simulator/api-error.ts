/**
 * The simulator's failure value: an HTTP status plus the spec's Error body
 * (`{ok:false, message, code, statusMessage}`, components.schemas.Error). Store operations and
 * validators throw it; the server turns it into a response in one place.
 */
export const STATUS_CODES = {
  400: { code: 'BAD_REQUEST', statusMessage: 'Bad Request' },
  401: { code: 'UNAUTHORIZED', statusMessage: 'Unauthorized' },
  404: { code: 'NOT_FOUND', statusMessage: 'Not Found' },
  413: { code: 'PAYLOAD_TOO_LARGE', statusMessage: 'Payload Too Large' },
  429: { code: 'TOO_MANY_REQUESTS', statusMessage: 'Too Many Requests' },
  500: { code: 'INTERNAL_SERVER_ERROR', statusMessage: 'Internal Server Error' },
  503: { code: 'SERVICE_UNAVAILABLE', statusMessage: 'Service Unavailable' },
} as const;

export type ApiErrorStatus = keyof typeof STATUS_CODES;

export interface ErrorBody {
  ok: false;
  message: string;
  code: string;
  statusMessage: string;
}

export class ApiFailure extends Error {
  readonly status: ApiErrorStatus;

  constructor(status: ApiErrorStatus, message: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
  }

  body(): ErrorBody {
    const { code, statusMessage } = STATUS_CODES[this.status];
    return { ok: false, message: this.message, code, statusMessage };
  }
}

export const badRequest = (message: string): ApiFailure => new ApiFailure(400, message);
export const notFound = (message: string): ApiFailure => new ApiFailure(404, message);
