/** The error codes of a driver error, however it is wrapped (TypeORM's QueryFailedError keeps it as driverError). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current = error as { code?: unknown; driverError?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    if (typeof current.code === 'string') codes.push(current.code);
    current = (current.driverError ?? current.cause) as typeof current;
  }
  return codes;
}

/** The server cannot be reached, or dropped the connection: worth trying again in a moment. */
const CONNECTION = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/** The database is there but cannot serve now: locked, busy, out of time or out of room. */
const UNAVAILABLE = new Set([
  ...CONNECTION,
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_PROTOCOL',
]);

/** Whether the error says the database server could not be reached (at start: try again a few times). */
export function isConnectionError(error: unknown): boolean {
  return codesOf(error).some((code) => CONNECTION.has(code));
}

/**
 * Whether the error says the database cannot serve right now (down, frozen past the query timeout, locked, busy, its
 * disk full or its file unreadable): the request is answered 503 with Retry-After, never 500, and the next request
 * tries again — nothing to restart.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return codesOf(error).some(
    (code) =>
      UNAVAILABLE.has(code) ||
      code.startsWith('SQLITE_BUSY') ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_CANTOPEN'),
  );
}
