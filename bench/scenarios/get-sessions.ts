import { databaseName } from '../generate/dataset-sizes';
import { BENCH_COUNTRY } from '../lib/bench-keys';
import { withClient } from '../lib/bench-database';
import { ALTERNATING_BLOCKS, repeatedAlternating, repetitionsNote, sampleApi, sampleFloor } from '../lib/measure';
import { SessionPageRow, sessionPageSql } from '../../src/field-work/session-list';
import { compare, Scenario } from './scenario';

const CONNECTIONS = 32;
const FROM = '2019-01-01';
const TO = '2023-12-31';
/** Pages a client follows before it starts again at the first page. */
const MAX_PAGES = 10;

interface PagingState {
  network?: number;
  cursor?: string | null;
  page?: number;
}

let nextClient = 0;

/**
 * A page's nextCursor read off the end of its body (`…,"nextCursor":"…"}` or `…:null}`), which
 * JSON.stringify writes last: JSON.parse of the whole 30 KB page cost the load generator, which
 * shares the machine, 80 µs a response, a tenth of what the API spends on it, to read one field.
 * A body of another shape fails the run here.
 */
function nextCursorOf(body: string): string | null {
  const key = '"nextCursor":';
  const at = body.lastIndexOf(key);
  if (at < 0 || !body.endsWith('}')) throw new Error(`GET /sessions answered a body without nextCursor: ${body.slice(0, 200)}`);
  return JSON.parse(body.slice(at + key.length, -1)) as string | null;
}

/**
 * GET /sessions filtered by network and date range, limit 50, following nextCursor: each
 * connection pages through one of the bench country's busiest networks, ten pages at most.
 */
export const getSessions: Scenario = {
  name: 'get-sessions',
  title: 'GET /sessions by network and date range, limit 50, cursor paging',
  needsWorker: false,
  async run(ctx) {
    const networks = await withClient(databaseName(ctx.size as never), async (client) => (await client.query<{ id: string }>(
      `SELECT network_id AS id FROM sessions WHERE country_code = $1 AND held_on BETWEEN $2 AND $3 GROUP BY network_id ORDER BY count(*) DESC, network_id LIMIT 8`,
      [BENCH_COUNTRY, FROM, TO])).rows.map((r) => r.id));
    const key = ctx.keys.country_staff;
    const apiRun = (seconds: number) => sampleApi({
      url: ctx.apiUrl,
      connections: CONNECTIONS,
      seconds,
      headers: { 'x-api-key': key.key },
      expectStatus: 200,
      requests: [{
        method: 'GET',
        setupRequest: (req, context) => {
          const state = context as PagingState;
          state.network ??= nextClient++ % networks.length;
          const cursor = state.cursor ? `&cursor=${state.cursor}` : '';
          return { ...req, path: `/api/v1/sessions?networkId=${networks[state.network]}&from=${FROM}&to=${TO}&limit=50${cursor}` };
        },
        onResponse: (status, body, context) => {
          const state = context as PagingState;
          state.page = (state.page ?? 0) + 1;
          const next = status === 200 ? nextCursorOf(body) : null;
          if (!next || state.page >= MAX_PAGES) Object.assign(state, { cursor: null, page: 0 });
          else state.cursor = next;
        },
      }],
    });
    const floorState = new Map<number, { cursor: [string, string] | null; page: number }>();
    const floorRun = (seconds: number) => sampleFloor(ctx.databaseUrl, CONNECTIONS, seconds, async (client, worker) => {
      const state = floorState.get(worker) ?? { cursor: null, page: 0 };
      const network = networks[worker % networks.length];
      const params: unknown[] = [key.countryCodes, network, FROM, TO];
      if (state.cursor) params.push(...state.cursor);
      // The API's own page query, with the bench principal's scope and the filters written out.
      const where = `s.country_code = ANY($1) AND s.archived_at IS NULL AND s.network_id = $2 AND s.held_on >= $3 AND s.held_on <= $4${
        state.cursor ? ' AND (s.held_on, s.id) < ($5, $6)' : ''}`;
      const { rows } = await client.query<SessionPageRow>(sessionPageSql(where, 's.held_on DESC, s.id DESC', 51), params);
      const page = state.page + 1;
      const last = rows.length > 50 ? rows[49] : null;
      floorState.set(worker, !last || page >= MAX_PAGES ? { cursor: null, page: 0 } : { cursor: [last.heldOn, last.id], page });
    });
    const { api, floor, ratios } = await repeatedAlternating(ctx.seconds, ALTERNATING_BLOCKS, apiRun, floorRun);
    return compare({ name: this.name, title: this.title, connections: CONNECTIONS, api, floor, target: '≥ 50% of floor throughput', notes: [repetitionsNote(ratios)] }, 0.5);
  },
};
