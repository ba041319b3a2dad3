import { getPriority } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What a worker thread sees of its own nice value and the process's main thread after lowering its priority. */
function inWorker(): Promise<{ lowered: boolean; own: number }> {
  const code = `
    require('ts-node/register/transpile-only');
    const { getPriority } = require('node:os');
    const { readlinkSync } = require('node:fs');
    const { parentPort } = require('node:worker_threads');
    const { lowerThisThreadsPriority } = require(${JSON.stringify(join(__dirname, 'lower-thread-priority.ts'))});
    const lowered = lowerThisThreadsPriority();
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    parentPort.postMessage({ lowered, own: getPriority(tid) });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

// Linux only (/proc/thread-self): elsewhere the function changes nothing and says so (CI runs on Linux)
const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;
if (process.platform !== 'linux')
  console.warn(`skipping lowerThisThreadsPriority: Linux only (/proc/thread-self), this is ${process.platform}`);

describeOnLinux('lowerThisThreadsPriority', () => {
  it('lowers the calling worker thread to nice 10 and leaves the thread that answers requests as it was', async () => {
    const before = getPriority();
    const seen = await inWorker();
    expect(seen).toEqual({ lowered: true, own: Math.max(before, 10) });
    expect(getPriority()).toBe(before);
  }, 30_000);
});
