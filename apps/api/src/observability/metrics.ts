import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, in a registry of its own (one per app: tests run several in one process):
 * requests by method, route and status with their latency, official scorings, failed sign-ins, refused requests,
 * and the depth of the job queue; plus the process's own (CPU, memory, event-loop lag). Read at GET /metrics.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'jiping_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'jiping_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly scorings = new Counter({
    name: 'jiping_scorings_total',
    help: 'Official scorings and adjustments (复核) stored, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly failedSignIns = new Counter({
    name: 'jiping_failed_sign_ins_total',
    help: 'Requests with a missing or unknown API key',
    registers: [this.registry],
  });

  readonly refused = new Counter({
    name: 'jiping_refused_requests_total',
    help: 'Requests refused by a limit (429) or because a service was unavailable (503), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** Queues whose depth is read when the metrics are (the job queue: across every instance with BullMQ). */
  private readonly depthSources = new Map<string, () => Promise<number>>();

  readonly queueDepth: Gauge<'queue'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'jiping_' });
    const sources = this.depthSources;
    this.queueDepth = new Gauge({
      name: 'jiping_queue_depth',
      help: 'Work waiting or running, by queue (jobs: stored jobs queued or running, on every instance with Redis)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        for (const [queue, depth] of sources) {
          // a queue that cannot answer (Redis away) is left at its last value rather than failing the scrape
          const value = await depth().catch(() => undefined);
          if (value !== undefined) this.set({ queue }, value);
        }
      },
    });
    this.queueDepth.set({ queue: 'jobs' }, 0);
  }

  /** Reads a queue's depth at each scrape. */
  queueDepthOf(queue: string, depth: () => Promise<number>): void {
    this.depthSources.set(queue, depth);
  }
}
