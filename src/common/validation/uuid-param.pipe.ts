import { ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from '../problem/problem';

/** `@Param('id', UuidParam)`: a malformed id is a 400 validation problem naming the parameter. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => badRequest('The id in the path is not a UUID.', [{ field: 'id', message: 'must be a UUID' }]),
});
