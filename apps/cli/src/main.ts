import { tuneV8ForScoring } from '../../../config/v8-tuning';
import { run } from './cli';

tuneV8ForScoring();

// The process edge: real streams, the terminal's width when there is a terminal, and the exit code.
// `jiping score … --json | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  debug: process.env.JIPING_DEBUG === '1',
}).then((code) => {
  process.exitCode = code;
});
