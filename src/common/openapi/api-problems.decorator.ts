import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

class FieldErrorSchema {
  @ApiProperty({ example: 'code' }) field!: string;
  @ApiProperty({ example: 'code must be an ISO 3166-1 alpha-2 code such as NP' }) message!: string;
}

/** RFC 9457 problem details, as every error is answered. */
export class ProblemSchema {
  @ApiProperty({ example: 'urn:jsd:problem:validation' }) type!: string;
  @ApiProperty({ example: 'Validation failed' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: '1 field(s) failed validation.' }) detail!: string;
  @ApiPropertyOptional({ example: '/api/v1/countries' }) instance?: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema] }) errors?: FieldErrorSchema[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input (validation problem with errors[], malformed JSON, unknown field)',
  401: 'No or bad credentials',
  403: 'Authenticated but not allowed',
  404: 'Not found, or not visible to you',
  409: 'Conflict (duplicate, invalid transition, idempotency key in use)',
  412: 'Stale If-Match',
  413: 'Body too large',
  422: 'Idempotency-Key reused with a different body',
  429: 'Rate limited',
  503: 'Not ready: a dependency is unreachable',
};

/** Documents the problem responses a route can give; 401, 403 and 429 apply to every authenticated route. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return problemResponses([401, 403, 429, ...statuses]);
}

/** For @Public() routes: only what the route itself and the rate limit can answer. */
export function ApiPublicProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return problemResponses([429, ...statuses]);
}

function problemResponses(statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...[...new Set(statuses)].sort().map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) } } },
      }),
    ),
  );
}
