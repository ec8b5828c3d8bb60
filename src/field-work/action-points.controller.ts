import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ActionPointsService } from './action-points.service';
import { ActionPointPageDto, ListActionPointsQueryDto } from './dto/session.dto';

@ApiTags('sessions')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('action-points')
export class ActionPointsController {
  constructor(private readonly actionPoints: ActionPointsService) {}

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'Action points across one network (e.g. ?status=open), in the order sessions agreed them', description: 'Archived sessions are left out.' })
  @ApiOkResponse({ type: ActionPointPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListActionPointsQueryDto): Promise<ActionPointPageDto> {
    return this.actionPoints.list(ctx, query);
  }
}
