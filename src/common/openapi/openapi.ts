import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Justice and security dialogue programmes — case management API')
    .setDescription(
      'Country offices log dialogue sessions, partners record mediated disputes, headquarters ' +
        'reads impact metrics. Errors are RFC 9457 problem details (application/problem+json). ' +
        'Every POST accepts an Idempotency-Key header; every PATCH accepts If-Match with the ETag of a single-record GET.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** OpenAPI at /docs (UI) and /docs/openapi.json, outside the /api/v1 prefix. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
