import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { validateEnvironment } from '../../../config/environment';
import { tuneV8ForScoring } from '../../../config/v8-tuning';
import { AppModule } from './app.module';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  tuneV8ForScoring();
  const env = validateEnvironment(process.env);
  if (env.DB_TYPE === 'sqlite' && env.DB_PATH !== ':memory:') mkdirSync(dirname(env.DB_PATH), { recursive: true });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), { bodyParser: false });
  setupApp(app);
  await app.listen(env.PORT);
  const url = `http://localhost:${env.PORT}`;
  new Logger('jiping').log(`listening on ${url} — API docs ${url}/docs (OpenAPI JSON ${url}/docs-json)`);
}

void bootstrap();
