import { randomUUID } from 'node:crypto';
import { DrillClient } from './drill-client';
import { DrillEnv } from './drill-env';

export interface SummaryWorldOptions {
  /** Countries added through POST /countries to the 11 of the migrations: each costs a run its own queries. */
  extraCountries: number;
  /** Sessions of 2016 per country's network, posted through POST /sync. */
  sessionsPerCountry: number;
  /** Countries (of the first ones) that also get resolved disputes linked to their sessions. */
  countriesWithDisputes: number;
  disputesPerCountry: number;
}

export interface SummaryWorld {
  countries: number;
  networks: number;
  sessions: number;
  resolvedDisputes: number;
  links: number;
}

const TOPICS = ['land', 'crime', 'youth', 'police_conduct', 'elections', 'access_to_justice'];
const KINDS = ['dialogue', 'consensus_building', 'mediation_training', 'community_outreach'];

/** Codes no real country uses first: user-assigned ISO ranges, then any two letters not taken. */
function spareCodes(taken: Set<string>, n: number): string[] {
  const codes: string[] = [];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const firsts = ['X', 'Q', 'Z', ...letters.split('').filter((l) => !'XQZ'.includes(l))];
  for (const a of firsts) for (const b of letters) if (codes.length < n && !taken.has(a + b)) codes.push(a + b);
  return codes;
}

async function created(client: DrillClient, path: string, body: unknown, status = 201): Promise<Record<string, unknown>> {
  const res = await client.send('POST', path, body, { 'Idempotency-Key': randomUUID() });
  if (res.status !== status) throw new Error(`seed ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body ?? {};
}

/** Runs `fn` over `items`, `width` at a time. */
async function inParallel<T, R>(items: T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i], i);
  }));
  return results;
}

/**
 * A world for summary runs, written through the API like any client would (so every record is
 * audited): extra countries, a network in each, sessions of 2016 in each (through /sync),
 * resolved disputes linked to sessions in a few countries, and cross-country links.
 */
export async function seedSummaryWorld(env: DrillEnv, o: SummaryWorldOptions): Promise<SummaryWorld> {
  const client = env.newClient();
  try {
    const list = await client.send('GET', '/api/v1/countries?limit=200');
    const existing = ((list.body?.data ?? []) as { code: string }[]).map((c) => c.code);
    const extra = spareCodes(new Set(existing), o.extraCountries);
    await inParallel(extra, 4, (code, i) => created(client, '/api/v1/countries', { code, name: `Drill country ${i + 1}`, region: 'Drill region' }));
    const codes = [...existing, ...extra];
    const networks = await inParallel(codes, 4, async (countryCode) => String((await created(client, '/api/v1/networks', {
      countryCode, name: `Drill ${countryCode} network`, level: 'district', adminArea: `Area ${countryCode}`, establishedOn: '2015-01-01',
    })).id));

    const sessionIds = new Map<string, string[]>();
    const operations = networks.flatMap((networkId) => Array.from({ length: o.sessionsPerCountry }, (_, k) => ({
      clientId: randomUUID(), resource: 'sessions', method: 'POST', networkId,
      body: {
        networkId, title: `Drill session ${k}`, kind: KINDS[k % KINDS.length], heldOn: `2016-${String(1 + (k % 12)).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')}`,
        topics: [TOPICS[k % TOPICS.length], TOPICS[(k + 2) % TOPICS.length]], unnamedAttendance: { women: 3, men: 4, youth: 2 }, actionPoints: [],
      },
    })));
    const batches = Array.from({ length: Math.ceil(operations.length / 500) }, (_, b) => operations.slice(b * 500, b * 500 + 500));
    await inParallel(batches, 2, async (batch) => {
      const answer = await created(client, '/api/v1/sync', { operations: batch.map(({ networkId: _, ...op }) => op) }, 200);
      for (const [i, result] of ((answer.results ?? []) as { status: number; id?: string }[]).entries()) {
        if (result.status !== 201) throw new Error(`seed /sync: an operation answered ${JSON.stringify(result)}`);
        sessionIds.set(batch[i].networkId, [...(sessionIds.get(batch[i].networkId) ?? []), result.id!]);
      }
    });

    let resolvedDisputes = 0;
    for (const [c, countryCode] of codes.slice(0, o.countriesWithDisputes).entries()) {
      const networkId = networks[c];
      const partnerId = String((await created(client, '/api/v1/partners', { countryCode, name: `Drill partner ${countryCode}`, kind: 'ngo', networkIds: [networkId] })).id);
      const sessions = sessionIds.get(networkId) ?? [];
      await inParallel(Array.from({ length: o.disputesPerCountry }, (_, d) => d), 4, async (d) => {
        const dispute = await created(client, '/api/v1/disputes', {
          networkId, reportedByPartnerId: partnerId, reportedOn: '2016-01-10', category: 'land', description: `Drill dispute ${d}`,
          parties: [{ label: 'North' }, { label: 'South' }], severity: 'medium', violenceRisk: 'low',
          sessionIds: sessions.slice(d % Math.max(1, sessions.length - 3), (d % Math.max(1, sessions.length - 3)) + 3),
        });
        const id = String(dispute.id);
        const agreedOn = `2016-${String(1 + (d % 12)).padStart(2, '0')}-20`;
        await created(client, `/api/v1/disputes/${id}/transitions`, { to: 'in_mediation', note: 'drill' }, 200);
        await created(client, `/api/v1/disputes/${id}/transitions`, { to: 'resolved', note: 'drill', resolution: { terms: 'Agreed', agreedOn } }, 200);
        resolvedDisputes += 1;
      });
    }

    // A ring of cross-country links: every country's network is linked to the next one's.
    const links = networks.length > 1 ? networks : [];
    await inParallel(links, 4, (from, i) => created(client, `/api/v1/networks/${from}/links`, {
      toNetworkId: networks[(i + 1) % networks.length], kind: (['peer', 'mentoring', 'exchange'] as const)[i % 3], since: '2015-06-01',
    }));
    return { countries: codes.length, networks: networks.length, sessions: operations.length, resolvedDisputes, links: links.length };
  } finally {
    client.close();
  }
}
