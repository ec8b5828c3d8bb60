import { Agent, request } from 'node:http';
import { sleep } from './wait';

/** What one HTTP attempt came back with; `error` is the socket error code when there was no answer. */
export interface Attempt {
  status: number;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string | string[] | undefined>;
  error?: string;
  latencyMs: number;
  at: number;
}

/** The figures every drill prints. */
export class Figures {
  requests = 0;
  ok = 0; // 2xx
  unavailable = 0; // 503
  unclear503 = 0; // 503 without Retry-After or without a problem body: a client cannot know to retry
  inProgress = 0; // 409 idempotency-in-progress
  replayed = 0; // 2xx with Idempotent-Replayed
  serverErrors = 0; // 5xx other than 503: always a bug
  otherErrors = 0; // other 4xx
  refused = 0; // ECONNREFUSED: nothing listening
  reset = 0; // the connection broke with no answer
  timedOut = 0; // no answer within the client timeout
  retries = 0;
  maxLatencyMs = 0;
  okTimes: number[] = [];
  notes: string[] = [];

  count(a: Attempt): void {
    this.requests += 1;
    this.maxLatencyMs = Math.max(this.maxLatencyMs, a.latencyMs);
    if (a.error === 'ECONNREFUSED') this.refused += 1;
    else if (a.error === 'TIMEOUT') this.timedOut += 1;
    else if (a.error) this.reset += 1;
    else if (a.status >= 200 && a.status < 300) {
      this.ok += 1;
      this.okTimes.push(a.at);
      if (a.headers['idempotent-replayed'] === 'true') this.replayed += 1;
    } else if (a.status === 503) {
      this.unavailable += 1;
      if (!a.headers['retry-after'] || !String(a.headers['content-type']).startsWith('application/problem+json')) this.unclear503 += 1;
    }
    else if (a.status === 409 && problemSlug(a) === 'idempotency-in-progress') this.inProgress += 1;
    else if (a.status >= 500) {
      this.serverErrors += 1;
      if (this.notes.length < 5) this.notes.push(`${a.status} ${JSON.stringify(a.body)}`);
    } else {
      this.otherErrors += 1;
      if (this.notes.length < 5) this.notes.push(`${a.status} ${JSON.stringify(a.body)}`);
    }
  }

  /** Seconds from `since` to the first 2xx answered after it. */
  recoverySeconds(since: number): number | undefined {
    const first = this.okTimes.filter((t) => t >= since).sort((a, b) => a - b)[0];
    return first === undefined ? undefined : (first - since) / 1000;
  }
}

export function problemSlug(a: Attempt): string | undefined {
  const type = a.body?.type;
  return typeof type === 'string' ? type.replace('urn:jsd:problem:', '') : undefined;
}

/** A retry is right for these: the request may not have been applied, and the key makes it safe. */
function retryable(a: Attempt): boolean {
  if (a.error) return true;
  return a.status === 503 || a.status === 502 || a.status === 504 || a.status === 429 || (a.status === 409 && problemSlug(a) === 'idempotency-in-progress');
}

export interface Outcome {
  /** The final attempt: a 2xx when the write was accepted. */
  last: Attempt;
  attempts: number;
  accepted: boolean;
  id?: string;
}

/**
 * A plain HTTP/1.1 client with keep-alive, a hard client-side timeout (so a hanging server shows
 * up as TIMEOUT rather than stalling the drill) and the retry policy a well-behaved client follows.
 */
export class DrillClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  readonly figures = new Figures();

  constructor(
    readonly baseUrl: string,
    public token: string | undefined,
    private readonly timeoutMs = 35_000,
  ) {}

  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Attempt> {
    const started = Date.now();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const done = (a: Omit<Attempt, 'latencyMs' | 'at'>) => {
        if (settled) return;
        settled = true;
        const attempt = { ...a, latencyMs: Date.now() - started, at: Date.now() };
        this.figures.count(attempt);
        resolve(attempt);
      };
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, body: undefined, headers: {}, error: e.code ?? 'ERROR' }));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: Record<string, unknown> | undefined;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = { text };
            }
            done({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
          });
        },
      );
      req.setTimeout(this.timeoutMs, () => {
        req.destroy();
        done({ status: 0, body: undefined, headers: {}, error: 'TIMEOUT' });
      });
      req.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, body: undefined, headers: {}, error: e.code ?? e.message }));
      req.end(payload);
    });
  }

  /**
   * POSTs with one Idempotency-Key until the write is accepted (2xx), refused for good (another
   * status) or the deadline passes, waiting Retry-After (capped) between attempts.
   */
  async postWithRetries(path: string, body: unknown, key: string, deadline: number): Promise<Outcome> {
    for (let attempts = 1; ; attempts++) {
      const last = await this.send('POST', path, body, { 'Idempotency-Key': key });
      const accepted = last.status >= 200 && last.status < 300;
      if (accepted || !retryable(last) || Date.now() > deadline) {
        return { last, attempts, accepted, id: accepted ? String(last.body?.id) : undefined };
      }
      this.figures.retries += 1;
      const retryAfter = Number(last.headers['retry-after']);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 1_000) : 150 + Math.random() * 250);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
