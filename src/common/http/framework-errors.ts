import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { defaultProblem, PROBLEM_CONTENT_TYPE, ProblemBody } from '../problem/problem';
import { applyBaseHeaders, SecurityHeaders } from './security-headers';

/**
 * Errors Fastify answers itself, before any hook or Nest filter runs, would otherwise go out as
 * Fastify's raw JSON without the security headers or a request id. Both handlers below answer
 * them as problem details with the same headers every other answer has.
 */

const FRAMEWORK_DETAIL: Record<string, string> = {
  FST_ERR_BAD_URL: 'The request path is not a valid URL (a malformed percent-encoding).',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than any identifier this API uses.',
};

/**
 * Fastify's `frameworkErrors`: a path it cannot decode (400) or a parameter over maxParamLength
 * (414), found while routing, so no route and no hook has run. The path is left out of the answer:
 * it is what was wrong, and may be long.
 */
export function frameworkErrorHandler(headers: SecurityHeaders) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const problem: ProblemBody = {
      ...defaultProblem(status, status >= 500 ? 'The request could not be completed.' : FRAMEWORK_DETAIL[error.code] ?? 'The request could not be routed.'),
      requestId: String(request.id),
    };
    applyBaseHeaders(reply.raw, headers, String(request.id));
    void reply.status(status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
  };
}

/**
 * Node's `clientError`: the HTTP parser refused the request itself (headers too large, a
 * malformed request line or framing, a request that took too long), so there is no request
 * object, only the socket. The answer is written by hand and the connection closed, as Node and
 * Fastify do, but as a problem with the usual headers.
 */
export function clientErrorHandler(headers: SecurityHeaders) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A reset connection has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, detail] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request took too long to arrive.']
      : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'The request line and headers are larger than the server accepts.']
      : [400, 'The request is not valid HTTP.'];
    const requestId = randomUUID();
    const body = JSON.stringify({ ...defaultProblem(status, detail), requestId });
    const lines = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      ...headers.set.map(([name, value]) => `${name}: ${value}`),
      `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      `X-Request-Id: ${requestId}`,
      'Connection: close',
    ];
    if (socket.writable) socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
    else socket.destroy();
  };
}
