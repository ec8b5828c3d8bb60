/**
 * What a log line may say about an error: enough for an operator to find the failing code and
 * statement, nothing of the values involved.
 *
 * pino's own error serializer writes every enumerable property, and a failed query carries its
 * parameters, the statement, and PostgreSQL's `detail` and `where`, which quote row values (a
 * unique violation says `Key (email)=(x@y) already exists`). The message itself can quote a value
 * (`invalid input syntax for type uuid: "…"`). So a database error is logged as its SQLSTATE, the
 * condition's name, and the names PostgreSQL gives (table, column, constraint, data type,
 * routine), with the statement's text without its literals; any other error as its type, its
 * message with every quoted part removed, and its stack frames. Causes are followed a few levels.
 */

const DESCRIBED = Symbol('loggable error');
const MAX_DEPTH = 3;
const MAX_STATEMENT = 2_000;
const MAX_MESSAGE = 500;

/** The SQLSTATEs a request can run into, by name (PostgreSQL's appendix A); other codes are named by their class. */
const CONDITIONS: Record<string, string> = {
  '23505': 'unique_violation', '23503': 'foreign_key_violation', '23502': 'not_null_violation', '23514': 'check_violation',
  '23P01': 'exclusion_violation', '22P02': 'invalid_text_representation', '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range', '22007': 'invalid_datetime_format', '22008': 'datetime_field_overflow',
  '22012': 'division_by_zero', '22021': 'character_not_in_repertoire', '22023': 'invalid_parameter_value',
  '22P05': 'untranslatable_character', '2201B': 'invalid_regular_expression', '22004': 'null_value_not_allowed',
  '22032': 'invalid_json_text', '40001': 'serialization_failure', '40P01': 'deadlock_detected', '42601': 'syntax_error',
  '42703': 'undefined_column', '42P01': 'undefined_table', '42883': 'undefined_function', '42804': 'datatype_mismatch',
  '42P08': 'ambiguous_parameter', '42P18': 'indeterminate_datatype', '42725': 'ambiguous_function', '42501': 'insufficient_privilege',
  '55P03': 'lock_not_available', '57014': 'query_canceled', '57P01': 'admin_shutdown', '25P02': 'in_failed_sql_transaction',
  '25P03': 'idle_in_transaction_session_timeout', '53300': 'too_many_connections', '54000': 'program_limit_exceeded',
  '0A000': 'feature_not_supported', 'P0001': 'raise_exception', 'P0002': 'no_data_found', 'P0003': 'too_many_rows',
};
const CLASSES: Record<string, string> = {
  '08': 'connection_exception', '0A': 'feature_not_supported', '21': 'cardinality_violation', '22': 'data_exception',
  '23': 'integrity_constraint_violation', '25': 'invalid_transaction_state', '40': 'transaction_rollback',
  '42': 'syntax_error_or_access_rule_violation', '53': 'insufficient_resources', '54': 'program_limit_exceeded',
  '55': 'object_not_in_prerequisite_state', '57': 'operator_intervention', '58': 'system_error', 'P0': 'plpgsql_error',
  'XX': 'internal_error',
};
/** Fields of pg's DatabaseError that name things or point into the statement (never values). */
const NAME_FIELDS = ['severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine', 'position'] as const;

type Described = Record<string, unknown>;

/** The serializer for `err` (and `error`) on every log line: also unwraps what pino-http's wrapper made of the error. */
export function errorSerializer(value: unknown): unknown {
  const raw = value !== null && typeof value === 'object' && 'raw' in value ? (value as { raw: unknown }).raw : value;
  return loggableError(raw);
}

export function loggableError(error: unknown, depth = 0): Described {
  if (error !== null && typeof error === 'object' && DESCRIBED in error) return error as Described;
  const out: Described = describe(error, depth);
  Object.defineProperty(out, DESCRIBED, { value: true });
  return out;
}

function describe(error: unknown, depth: number): Described {
  if (typeof error === 'string') return { message: scrubMessage(error) };
  if (error === null || typeof error !== 'object') return { type: typeof error };
  const e = error as Record<string, unknown> & { name?: unknown; message?: unknown; stack?: unknown };
  const type = typeof e.constructor === 'function' && e.constructor.name ? e.constructor.name : typeof e.name === 'string' ? e.name : 'Object';
  const driver = isDatabaseError(e.driverError) ? e.driverError : isDatabaseError(e) ? e : undefined;
  const out: Described = { type };
  if (driver) {
    Object.assign(out, databaseFields(driver));
    if (typeof e.query === 'string') out.statement = statementText(e.query);
  } else {
    if (typeof e.message === 'string') out.message = scrubMessage(e.message);
    // System and library codes (ECONNREFUSED, ERR_…) name a condition, not a value.
    if (typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(e.code)) out.code = e.code;
  }
  const frames = stackFrames(e.stack);
  if (frames) out.stack = frames;
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) out.cause = describe(e.cause, depth + 1);
    if (Array.isArray(e.errors)) out.errors = e.errors.slice(0, 3).map((inner) => describe(inner, depth + 1));
  }
  return out;
}

function isDatabaseError(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && /^[0-9A-Z]{5}$/.test(v.code) && typeof v.severity === 'string';
}

function databaseFields(driver: Record<string, unknown>): Described {
  const code = driver.code as string;
  const out: Described = { code, condition: CONDITIONS[code] ?? CLASSES[code.slice(0, 2)] ?? 'unknown' };
  for (const field of NAME_FIELDS) if (typeof driver[field] === 'string') out[field] = driver[field];
  return out;
}

/** The statement as the code wrote it (values are bound as $n), with any literal in its text removed too. */
export function statementText(sql: string): string {
  const text = sql.replace(/'(?:[^']|'')*'/g, "'…'").replace(/\s+/g, ' ').trim();
  return text.length > MAX_STATEMENT ? `${text.slice(0, MAX_STATEMENT)}…` : text;
}

/** A message with every quoted part removed: that is where messages put the values they are about. */
export function scrubMessage(message: string): string {
  const text = message.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '…').replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** The `at …` lines only: the first lines of a stack repeat the message. */
function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim());
  return frames.length ? frames.join('\n') : undefined;
}

/**
 * pino's `formatters.log`: an error under any key of a log line (`{ failure }`, `{ cause }`) is
 * described as one under `err` is, so a new log call cannot bring the values back by its naming.
 */
export function describeErrorsIn(line: Record<string, unknown>): Record<string, unknown> {
  let out = line;
  for (const [key, value] of Object.entries(line)) {
    if (value instanceof Error || isDatabaseError(value)) {
      if (out === line) out = { ...line };
      out[key] = loggableError(value);
    }
  }
  return out;
}
