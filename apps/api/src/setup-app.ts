import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { type Options, pinoHttp } from 'pino-http';
import { ENGINE_VERSION } from '@jiping/scoring';
import type { EnvironmentVariables } from '../../../config/environment';
import { ErrorBodyDto } from './common/error-body.dto';
import { verifyJsonDepth } from './common/json-depth';
import { httpMetrics } from './observability/http-metrics';
import { Metrics } from './observability/metrics';
import { createValidationPipe } from './common/validation';
import { serveConsole } from './console/serve-console';
import { splitInlineRuleFiles, takeInlineRuleFiles } from './what-if/inline-rule-file-body';

/** Everything main.ts and the e2e tests share: body limits, the validation pipe, OpenAPI at /docs. */
export function setupApp(app: NestExpressApplication): INestApplication {
  const config = app.get(ConfigService<EnvironmentVariables, true>);
  const limit = config.get('BODY_LIMIT_BYTES', { infer: true });
  const trustProxy = config.get('TRUST_PROXY', { infer: true });
  // first of all: the request id (X-Request-Id) and the access log, so that even a body refused by the parser below
  // has both
  app.use(pinoHttp(app.get<Params>(PARAMS_PROVIDER_TOKEN).pinoHttp as Options));
  app.use(httpMetrics(app.get(Metrics)));
  // the client address the rate limits count by: the socket's, or the one the trusted proxies forwarded
  if (trustProxy) app.set('trust proxy', /^[0-9]+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  // security headers; the console (a Vite build: scripts and styles from 'self', Ant Design's inline styles) and the
  // API docs run under helmet's default policy, less upgrade-insecure-requests (a bureau may serve plain HTTP inside
  // its network); no X-Powered-By
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
    }),
  );
  // CORS only for the origins configured (none by default: the console is same-origin)
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins) {
    app.enableCors({
      origin: origins.split(',').map((origin) => origin.trim()),
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition'],
      maxAge: 600,
    });
  }
  // the web console (apps/web, built into dist/web) at / and /app/…, same origin
  serveConsole(app);
  // the depth check runs on the raw bytes, before JSON.parse and every recursive step after it; a what-if's inline rule
  // files are then taken out of the bytes, for the inline rules worker to decode and parse (not the request thread)
  app.useBodyParser('json', {
    limit,
    verify: (req: IncomingMessage, res: ServerResponse, body: Buffer, encoding: string) => {
      verifyJsonDepth(req, res, body, encoding);
      splitInlineRuleFiles(req, body, encoding);
    },
  });
  app.use(takeInlineRuleFiles);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('jiping（绩评）')
      .setDescription(
        'Scores budget-performance self-evaluations (预算绩效自评) from versioned JSON rule sets. Every error is ' +
          'application/problem+json (RFC 9457): { type, title, status, detail, instance, requestId, statusCode, code, ' +
          'message, details: [{ pointer, message, path? }] }; every answer carries X-Request-Id. Amounts and scores ' +
          'are decimal strings.',
      )
      .setVersion(ENGINE_VERSION)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key: Authorization: Bearer <key>' })
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
