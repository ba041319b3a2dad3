import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InlineRulesReply, InlineRulesResult, InlineRulesTask } from './inline-rules-protocol';

export interface InlineRuleSetsOptions {
  /** Longest a rule file may take to check, compile and score (default 10 s); past it the worker is stopped. */
  timeoutMs?: number;
  /** Tasks waiting for the worker at most (default 8); more are refused at once. */
  maxQueued?: number;
  /** The worker script (default: inline-rules-worker .ts or .js next to this module). */
  workerFile?: string;
}

export enum InlineRuleSetsErrorCode {
  /** More tasks wait than maxQueued. */
  BUSY = 'BUSY',
  /** The task ran past timeoutMs: the worker was stopped. */
  TIMEOUT = 'TIMEOUT',
  /** The worker died (out of memory…) while it had the task. */
  WORKER_FAILED = 'WORKER_FAILED',
  CLOSED = 'CLOSED',
}

export class InlineRuleSetsError extends Error {
  constructor(
    readonly code: InlineRuleSetsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InlineRuleSetsError';
  }
}

const TS_EXEC_ARGV = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

interface Pending {
  task: InlineRulesTask;
  resolve: (result: InlineRulesResult) => void;
  reject: (error: Error) => void;
}

/**
 * Rule files sent inline (what-if with a draft rule file) are checked, compiled and used for scoring on one worker
 * thread, one at a time, each within a time budget: the request thread only hands the text over and waits, so a
 * large or slow file holds up no other request (measured in docs/performance.md). A file past the budget stops the
 * worker (a new one starts for the next task); a full queue is refused at once rather than piling up.
 */
export class InlineRuleSets {
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private readonly workerFile: string;
  private readonly queue: Pending[] = [];
  private worker?: Worker;
  /** Whether the worker has loaded (its first message): a task's time budget starts then. */
  private ready = false;
  private running?: { pending: Pending; timer?: NodeJS.Timeout };
  private nextId = 1;
  private closed = false;

  constructor(options: InlineRuleSetsOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxQueued = options.maxQueued ?? 8;
    this.workerFile =
      options.workerFile ?? join(__dirname, `inline-rules-worker${extname(__filename) === '.ts' ? '.ts' : '.js'}`);
  }

  /** Tasks waiting or running. */
  get depth(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /**
   * Checks the rule file — its JSON text, or the bytes of its object in a request body — and scores each submission
   * with it when it is valid. Bytes are handed over without a copy: their whole ArrayBuffer is transferred to the
   * worker, so it must hold nothing anyone else uses (never a pooled Buffer), and the caller must not read it again.
   */
  run(file: string | Uint8Array, submissions: unknown[]): Promise<InlineRulesResult> {
    if (this.closed) return Promise.reject(new InlineRuleSetsError(InlineRuleSetsErrorCode.CLOSED, 'closed'));
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(
        new InlineRuleSetsError(InlineRuleSetsErrorCode.BUSY, `${this.queue.length} inline rule files are waiting`),
      );
    }
    return new Promise((resolve, reject) => {
      const task: InlineRulesTask =
        typeof file === 'string'
          ? { id: this.nextId++, text: file, submissions }
          : { id: this.nextId++, bytes: file, submissions };
      this.queue.push({ task, resolve, reject });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(new InlineRuleSetsError(InlineRuleSetsErrorCode.CLOSED, 'closed'));
    }
    if (this.running) this.finish(new InlineRuleSetsError(InlineRuleSetsErrorCode.CLOSED, 'closed'));
    await this.stopWorker();
  }

  private next(): void {
    if (this.running || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    const worker = (this.worker ??= this.spawn());
    this.running = { pending };
    if (this.ready) this.startClock();
    worker.ref();
    const bytes = pending.task.bytes;
    worker.postMessage(pending.task, bytes ? [bytes.buffer as ArrayBuffer] : []);
  }

  private startClock(): void {
    const running = this.running;
    if (!running || running.timer) return;
    running.timer = setTimeout(() => {
      this.finish(
        new InlineRuleSetsError(InlineRuleSetsErrorCode.TIMEOUT, `the rule file took longer than ${this.timeoutMs} ms`),
      );
      void this.stopWorker();
    }, this.timeoutMs);
  }

  private finish(outcome: InlineRulesResult | Error): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearTimeout(running.timer);
    this.worker?.unref();
    if (outcome instanceof Error) running.pending.reject(outcome);
    else running.pending.resolve(outcome);
    queueMicrotask(() => this.next());
  }

  private spawn(): Worker {
    const ts = extname(this.workerFile) === '.ts';
    const worker = new Worker(
      this.workerFile,
      ts
        ? {
            execArgv: TS_EXEC_ARGV,
            env: {
              ...process.env,
              TS_NODE_PROJECT: process.env.TS_NODE_PROJECT ?? join(__dirname, '..', '..', '..', 'tsconfig.json'),
            },
          }
        : {},
    );
    this.ready = false;
    worker.on('message', (reply: InlineRulesReply | { ready: true }) => {
      if ('ready' in reply) {
        if (this.worker === worker) this.ready = true;
        this.startClock();
      } else if (this.running?.pending.task.id === reply.id) {
        this.finish(reply.result);
      }
    });
    const died = (message: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = false;
      this.finish(new InlineRuleSetsError(InlineRuleSetsErrorCode.WORKER_FAILED, message));
    };
    worker.on('error', (error) => died(`the inline rules worker failed: ${error.message}`));
    worker.on('exit', (code) => died(`the inline rules worker exited with code ${code}`));
    worker.unref();
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = false;
    await worker?.terminate();
  }
}
