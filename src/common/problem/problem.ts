import { HttpException } from '@nestjs/common';

/** One failed field in a validation problem. */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as sent with Content-Type application/problem+json. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  408: ['request-timeout', 'Request timeout'],
  409: ['conflict', 'Conflict'],
  412: ['precondition-failed', 'Precondition failed'],
  413: ['payload-too-large', 'Payload too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable', 'Unprocessable request'],
  428: ['precondition-required', 'Precondition required'],
  429: ['rate-limited', 'Too many requests'],
  431: ['headers-too-large', 'Request header fields too large'],
  500: ['internal', 'Internal server error'],
  503: ['unavailable', 'Service unavailable'],
};

export function problemType(slug: string): string {
  return `urn:jsd:problem:${slug}`;
}

export function defaultProblem(status: number, detail?: string): ProblemBody {
  const [slug, title] = TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]);
  return { type: problemType(slug), title, status, detail: detail ?? title };
}

/**
 * Throw this for any expected failure: it becomes a problem response with the given status.
 * `slug` names the problem type (urn:jsd:problem:<slug>) when it is more specific than the status.
 */
export class ProblemException extends HttpException {
  readonly problem: ProblemBody;

  constructor(status: number, detail: string, extras: { slug?: string; title?: string; errors?: FieldError[]; [k: string]: unknown } = {}) {
    const { slug, title, ...rest } = extras;
    const base = defaultProblem(status, detail);
    const problem: ProblemBody = {
      ...base,
      ...(slug ? { type: problemType(slug) } : {}),
      ...(title ? { title } : {}),
      ...rest,
    };
    super(problem, status);
    this.problem = problem;
  }
}

export const notFound = (what = 'resource') => new ProblemException(404, `The ${what} does not exist or is not visible to you.`);
export const conflict = (detail: string, extras: Record<string, unknown> = {}) => new ProblemException(409, detail, extras);
export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ProblemException(400, detail, errors ? { slug: 'validation', title: 'Validation failed', errors } : {});
