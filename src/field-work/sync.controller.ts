import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { SyncRequestDto, SyncResponseDto } from './dto/sync.dto';
import { SyncService } from './sync.service';

@ApiTags('sync')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('sync')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  @Post()
  @Roles('admin', 'country_staff', 'partner')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload operations recorded offline (up to 500)',
    description:
      'Operations are applied in order, each in its own transaction and at most once per caller and clientId, however often the batch is retried ' +
      '(a replay answers the stored result with replayed: true). Each result has the status the HTTP route would have given. ' +
      'A PATCH carries the version it was based on; if the record changed since, the result is 409 with the current record and nothing is applied. ' +
      'Refused operations are not stored, so they can be sent again once corrected. Supported: sessions POST/PATCH, action-points PATCH.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: SyncResponseDto })
  @ApiProblems(400, 422)
  run(@Ctx() ctx: RequestContext, @Body() dto: SyncRequestDto): Promise<SyncResponseDto> {
    return this.sync.run(ctx, dto);
  }
}
