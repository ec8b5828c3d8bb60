import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ListNotificationsQueryDto, NotificationDto, NotificationPageDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: "The signed-in user's notifications, newest first", description: 'Today: critical early warnings, for country staff of the country.' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    return this.notifications.list(ctx, query);
  }

  @Post(':id/read')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your notifications read (idempotent)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblems(400, 404)
  markRead(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<NotificationDto> {
    return this.notifications.markRead(ctx, id);
  }
}
