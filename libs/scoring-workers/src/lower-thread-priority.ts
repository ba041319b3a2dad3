import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value a worker thread gives itself: the request thread (nice 0) gets the cores first when they are short. */
export const WORKER_NICE = 10;

/**
 * Lowers the scheduling priority of the calling thread only (Linux: setpriority on the thread's id, read from
 * /proc/thread-self), so that the work of a worker thread (checking and compiling an inline rule file, scoring a
 * year) yields the CPU to the thread that answers requests whenever both want it, on a machine with few cores. Raising
 * a nice value needs no privilege; a thread already at that nice value or lower keeps its own. Elsewhere, or where /proc is not mounted, nothing changes: returns false.
 */
export function lowerThisThreadsPriority(nice = WORKER_NICE): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    if (getPriority(tid) < nice) setPriority(tid, nice); // never raises a thread already set lower
    return true;
  } catch {
    return false;
  }
}
