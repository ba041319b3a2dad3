import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const EXPENSIVE_KEY = 'jiping:expensive';

/** Which requests of a route are expensive: all of them, or those the predicate picks (it sees the parsed body). */
export type ExpensiveWhen = true | ((request: Request) => boolean);

/**
 * Marks a route (or some of its requests) as expensive: besides the per-key and per-address limits it counts against
 * the stricter RATE_LIMIT_EXPENSIVE per key (or address). What-if with an inline rule file, impact, uploads.
 */
export const Expensive = (when: ExpensiveWhen = true) => SetMetadata(EXPENSIVE_KEY, when);
