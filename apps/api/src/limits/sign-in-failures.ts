import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../../../../config/environment';
import { Metrics } from '../observability/metrics';

interface Window {
  failures: number;
  /** When the window's count starts again (ms since the epoch). */
  resetAt: number;
  /** Until when the address is refused, once it reached the limit (ms since the epoch). */
  blockedUntil: number;
}

/** Addresses followed at most: the oldest are forgotten first (a flood of addresses cannot grow memory). */
const MAX_ADDRESSES = 100_000;

/**
 * Failed sign-ins (a missing or unknown key) per client address: past RATE_LIMIT_FAILED_SIGNINS in a window the
 * address is refused (429 with Retry-After) for RATE_LIMIT_SIGNIN_BLOCK_SECONDS, whatever key it sends. Counted in
 * this process (each instance counts its own). Every failure is logged (never the key) and counted in the metrics.
 */
@Injectable()
export class SignInFailures {
  private readonly logger = new Logger('sign-in');
  private readonly windows = new Map<string, Window>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly blockMs: number;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly metrics: Metrics,
  ) {
    this.limit = config.get('RATE_LIMIT_FAILED_SIGNINS', { infer: true });
    this.windowMs = config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000;
    this.blockMs = config.get('RATE_LIMIT_SIGNIN_BLOCK_SECONDS', { infer: true }) * 1000;
  }

  /** Seconds the address is still refused, or 0. */
  blockedFor(address: string, now = Date.now()): number {
    const window = this.windows.get(address);
    return window && window.blockedUntil > now ? Math.ceil((window.blockedUntil - now) / 1000) : 0;
  }

  /** Counts a failed sign-in from the address; logs it, and logs when the address starts being refused. */
  failed(address: string, reason: string, now = Date.now()): void {
    this.metrics.failedSignIns.inc();
    let window = this.windows.get(address);
    if (!window || window.resetAt <= now) {
      this.windows.delete(address);
      window = { failures: 0, resetAt: now + this.windowMs, blockedUntil: window?.blockedUntil ?? 0 };
      if (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(address, window);
    }
    window.failures++;
    this.logger.warn({ msg: 'failed sign-in', address, reason, failures: window.failures });
    if (window.failures >= this.limit && window.blockedUntil <= now) {
      window.blockedUntil = now + this.blockMs;
      this.logger.warn({ msg: 'address refused after failed sign-ins', address, seconds: this.blockMs / 1000 });
    }
  }
}
