import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | boolean | null;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format: `\N` for NULL, and the characters that delimit rows and columns escaped. */
export function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
}

/** About 64 kB of rows per chunk written: one CopyData message each, not one per row. */
const CHUNK_CHARS = 65_536;

function* chunks(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map(copyText).join('\t')}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Streams `rows` (made lazily, so a table's rows are never all in memory) into `table` with
 * `COPY … FROM STDIN`, in the order of `columns`.
 */
export async function copyRows(client: Client, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<void> {
  await pipeline(Readable.from(chunks(rows)), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}
