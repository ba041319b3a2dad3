import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Logger as PinoLogger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type EnvironmentVariables, validateEnvironment } from '../../../config/environment';
import { tuneV8ForScoring } from '../../../config/v8-tuning';
import { AppModule } from './app.module';
import { consoleDirectory } from './console/serve-console';
import { setupApp } from './setup-app';
import { describeStartupError, type StartupStep } from './startup-errors';

let step: StartupStep = 'configure';
let env: EnvironmentVariables | undefined;

async function bootstrap(): Promise<void> {
  tuneV8ForScoring();
  env = validateEnvironment(process.env);
  step = 'start';
  if (env.DB_TYPE === 'sqlite' && env.DB_PATH !== ':memory:') mkdirSync(dirname(env.DB_PATH), { recursive: true });
  // Logs wait until the start succeeds: a failed start prints only its own lines (describeStartupError), no stack.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bodyParser: false,
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoLogger)); // JSON lines on stdout, a request's with its requestId
  setupApp(app);
  await app.init();
  step = 'listen';
  await app.listen(env.PORT, env.HOST);
  const url = `http://${env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST}:${env.PORT}`;
  // the first line a person reads: where the console is (before the buffered start-up logs)
  const open = `http://${['0.0.0.0', '::', '127.0.0.1', '::1'].includes(env.HOST) ? 'localhost' : env.HOST}:${env.PORT}`;
  process.stdout.write(
    consoleDirectory() ? `打开 ${open}\n` : `打开 ${open}/docs（控制台未构建：npm run build:web）\n`,
  );
  app.flushLogs();
  new Logger('jiping').log(`listening on ${url} — API docs ${url}/docs (OpenAPI JSON ${url}/docs-json)`);
}

bootstrap().catch((error: unknown) => {
  for (const line of describeStartupError(error, step, env)) process.stderr.write(`jiping 无法启动：${line}\n`);
  process.exit(1);
});
