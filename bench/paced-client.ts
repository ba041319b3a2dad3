/**
 * The open-loop client of bench/http.ts, run as its own plain-Node process (transpiled to node_modules/.cache, no
 * ts-node), so that neither the bench's heap nor its garbage collector sits between a response and its timing.
 * Offers `rate` requests per second at an even pace for `durationSeconds`: each request is sent at its scheduled
 * time (start + i / rate) whether or not earlier ones were answered — where autocannon's own rate limit sends each
 * connection's quota for the second in a burst and then waits. Latency is counted from the scheduled time, so a
 * client that falls behind adds to it rather than hiding it. Keep-alive sockets, as many as are in flight.
 *
 *   node paced-client.js '{"url":"http://127.0.0.1:3000/what-if","method":"POST","headers":{…},"body":"…","rate":500,"durationSeconds":10}'
 *
 * Prints one JSON line: PacedResult. Self-contained (node:http only): it is transpiled file by file.
 */
import { Agent, request } from 'node:http';

export interface PacedOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  rate: number;
  durationSeconds: number;
}

export interface PacedResult {
  sent: number;
  /** ms from the scheduled send time to the end of each 2xx response, in the order they ended. */
  latenciesMs: number[];
  /** Bytes of body read, over the 2xx responses. */
  bytes: number;
  non2xx: number;
  errors: number;
  maxInFlight: number;
  wallMs: number;
}

export function runPaced(options: PacedOptions): Promise<PacedResult> {
  const { url, method, body, rate, durationSeconds } = options;
  // lifo: the sockets a burst opened idle out (4 s, before Node's default 5 s server keep-alive) instead of being
  // reused just as the server closes them
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 4_000 });
  const headers = { ...options.headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) };
  const result: PacedResult = { sent: 0, latenciesMs: [], bytes: 0, non2xx: 0, errors: 0, maxInFlight: 0, wallMs: 0 };
  const total = Math.round(rate * durationSeconds);
  const t0 = process.hrtime.bigint();
  const elapsedMs = (): number => Number(process.hrtime.bigint() - t0) / 1e6;
  let inFlight = 0;
  return new Promise((resolve) => {
    const settle = (): void => {
      inFlight--;
      if (result.sent === total && inFlight === 0) {
        result.wallMs = elapsedMs();
        agent.destroy();
        resolve(result);
      }
    };
    const send = (scheduledMs: number): void => {
      result.sent++;
      result.maxInFlight = Math.max(result.maxInFlight, ++inFlight);
      const req = request(url, { method, headers, agent }, (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => (size += chunk.length));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            result.latenciesMs.push(elapsedMs() - scheduledMs);
            result.bytes += size;
          } else result.non2xx++;
          settle();
        });
      });
      req.on('error', () => {
        result.errors++;
        settle();
      });
      req.end(body);
    };
    const tick = (): void => {
      const now = elapsedMs();
      while (result.sent < total && (result.sent * 1000) / rate <= now) send((result.sent * 1000) / rate);
      if (result.sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

if (require.main === module) {
  runPaced(JSON.parse(process.argv[2]) as PacedOptions)
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
