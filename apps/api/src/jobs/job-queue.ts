import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

/** Runs one stored job to its end (JobsService.execute): it reads the job's row, runs it and writes the outcome. */
export type JobProcessor = (id: string) => Promise<void>;

/**
 * Where job ids wait for a worker. The job itself (parameters, progress, result) is a database row; the queue only
 * carries its id, so any instance can answer for any job.
 */
export interface JobQueue {
  /** bullmq or in-process (shown in /health/ready and the logs). */
  readonly kind: 'bullmq' | 'in-process';
  /** Starts taking jobs. */
  start(processor: JobProcessor, onLost: (id: string, error: Error) => Promise<void>): Promise<void>;
  /** Hands a job to a worker (of any instance). */
  add(id: string): Promise<void>;
  /** Drops a job no worker has taken yet (a cancelled one); nothing when a worker has it. */
  remove(id: string): Promise<void>;
  /** Jobs waiting or running: across every instance with BullMQ, this process's otherwise. */
  depth(): Promise<number>;
  /** Redis answers (always true in-process). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** One instance: jobs run in this process, one after the other (JOB_CONCURRENCY at once), in the order added. */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process';
  private readonly waiting: string[] = [];
  private running = 0;
  private processor?: JobProcessor;
  private closed = false;
  private readonly active = new Set<Promise<void>>();

  constructor(private readonly concurrency: number) {}

  async start(processor: JobProcessor): Promise<void> {
    this.processor = processor;
    this.pump();
  }

  async add(id: string): Promise<void> {
    this.waiting.push(id);
    this.pump();
  }

  async remove(id: string): Promise<void> {
    const at = this.waiting.indexOf(id);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.running;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.active]);
  }

  private pump(): void {
    while (!this.closed && this.processor && this.running < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.running++;
      // execute records its own failures in the job's row; nothing is left to catch here
      const run: Promise<void> = this.processor(id)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.active.delete(run);
          setImmediate(() => this.pump());
        });
      this.active.add(run);
    }
  }
}

export interface BullQueueSettings {
  url: string;
  /** One queue per database: instances of another deployment on the same Redis never take these jobs. */
  name: string;
  concurrency: number;
  lockMs: number;
}

/**
 * BullMQ on Redis: every instance adds to and takes from one queue. A running job holds a lock its instance renews
 * every half JOB_LOCK_MS; when the instance dies the lock lapses, another instance's stalled-job check moves the
 * job back to waiting, and a worker there runs it again from the start (an impact run reads and writes nothing that
 * a second run would see differently, so its result is the same).
 */
export class BullQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly logger = new Logger('JobQueue');
  /** Commands from requests: fail fast while Redis is away (the caller answers 503), never queue up. */
  private readonly client: Redis;
  private readonly queue: Queue;
  private worker?: Worker;

  constructor(private readonly settings: BullQueueSettings) {
    this.client = new Redis(settings.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      commandTimeout: 5_000,
    });
    this.client.on('error', () => undefined); // reconnects by itself; a request meanwhile gets 503
    this.queue = new Queue(settings.name, {
      connection: this.client,
      defaultJobOptions: {
        attempts: 1,
        // the row in the database is the record; Redis keeps only a short tail of finished entries
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 100 },
      },
    });
    this.queue.on('error', () => undefined);
  }

  /** Connects (within 5 s, or throws RedisUnavailableError) and starts this instance's worker. */
  async start(processor: JobProcessor, onLost: (id: string, error: Error) => Promise<void>): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5_000);
      });
      await Promise.race([this.queue.waitUntilReady(), timeout]).finally(() => clearTimeout(timer));
      await this.client.ping();
    } catch (error) {
      await this.close();
      throw new RedisUnavailableError(this.settings.url, error as Error);
    }
    const workerConnection = new Redis(this.settings.url, { maxRetriesPerRequest: null, connectTimeout: 5_000 });
    workerConnection.on('error', () => undefined);
    this.worker = new Worker<{ id: string }>(this.settings.name, async (job) => processor(job.data.id), {
      connection: workerConnection,
      concurrency: this.settings.concurrency,
      lockDuration: this.settings.lockMs,
      stalledInterval: Math.max(1_000, Math.round(this.settings.lockMs / 2)),
      // an instance that died mid-run gives the job back; only one that keeps dying on it gives up
      maxStalledCount: 3,
    });
    this.worker.on('error', (error) => this.logger.warn(`job worker: ${error.message}`));
    // A job BullMQ gave up on without running the processor to its end (stalled too often): record it as failed.
    this.worker.on('failed', (job, error) => {
      if (job) void onLost(job.data.id, error).catch(() => undefined);
    });
  }

  async add(id: string): Promise<void> {
    await this.queue.add('job', { id }, { jobId: id });
  }

  async remove(id: string): Promise<void> {
    await this.queue.remove(id).catch(() => 0);
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Not waiting for running jobs (an impact run may take minutes): their lock lapses and another instance takes
    // them over, or this one when it is back.
    await this.worker?.close(true).catch(() => undefined);
    await this.worker?.disconnect().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.client.disconnect();
  }
}

/** REDIS_URL is set but Redis does not answer: the start stops with one Chinese line (startup-errors). */
export class RedisUnavailableError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: Error,
  ) {
    super(`Redis at ${hostOf(url)} does not answer: ${cause.message}`);
    this.name = 'RedisUnavailableError';
  }

  /** Host and port only: no password. */
  get server(): string {
    return hostOf(this.url);
  }
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}
