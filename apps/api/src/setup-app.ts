import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ENGINE_VERSION } from '@jiping/scoring';
import type { EnvironmentVariables } from '../../../config/environment';
import { ErrorBodyDto } from './common/error-body.dto';
import { verifyJsonDepth } from './common/json-depth';
import { createValidationPipe } from './common/validation';

/** Everything main.ts and the e2e tests share: body limits, the validation pipe, OpenAPI at /docs. */
export function setupApp(app: NestExpressApplication): INestApplication {
  const config = app.get(ConfigService<EnvironmentVariables, true>);
  const limit = config.get('BODY_LIMIT_BYTES', { infer: true });
  const trustProxy = config.get('TRUST_PROXY', { infer: true });
  // the client address the rate limits count by: the socket's, or the one the trusted proxies forwarded
  if (trustProxy) app.set('trust proxy', /^[0-9]+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  // the depth check runs on the raw bytes, before JSON.parse and every recursive step after it
  app.useBodyParser('json', { limit, verify: verifyJsonDepth });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('jiping（绩评）')
      .setDescription(
        'Scores budget-performance self-evaluations (预算绩效自评) from versioned JSON rule sets. Every error has the body ' +
          '{ statusCode, code, message, details: [{ pointer, message }] }. Amounts and scores are decimal strings.',
      )
      .setVersion(ENGINE_VERSION)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key: Authorization: Bearer <key>' })
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
