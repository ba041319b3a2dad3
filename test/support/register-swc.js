// The e2e suites that start the API as its own process (startup, multi-instance) run apps/api/src/main.ts under
// ts-node. With swc as ts-node's transpiler a start costs about 3.5 s of CPU instead of 9.5 s with TypeScript's, on the
// 2-core CI machine where CPU is what bounds the run. Only this main thread: the scoring and inline-rule worker threads
// register ts-node themselves (TypeScript's transpiler), since a worker terminated while swc's native code runs would
// crash the process.
require('ts-node').register({ transpileOnly: true, swc: true });
