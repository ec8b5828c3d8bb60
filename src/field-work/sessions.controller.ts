import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ActionPointsService } from './action-points.service';
import {
  ActionPointDto, CreateSessionDto, ListSessionsQueryDto, SessionDto, SessionPageDto, UpdateActionPointDto, UpdateSessionDto,
} from './dto/session.dto';
import { SESSION_WRITERS, sessionLocation, SessionsService } from './sessions.service';

/** GET /sessions answers with JSON text that PostgreSQL wrote (session-list). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412 and changes nothing' };

@ApiTags('sessions')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly actionPoints: ActionPointsService,
  ) {}

  @Post()
  @Roles(...SESSION_WRITERS)
  @ApiOperation({
    summary: 'Log a session with its attendance and action points (one transaction)',
    description: 'Every reference (network, facilitating partner, attendees) must exist, be in the network\'s country and be visible to you: otherwise 404 (or 400 for another country) naming the field, and nothing is written. A participant without consent is a 409.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiProblems(400, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateSessionDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.sessions.create(ctx, dto);
    reply.header('Location', sessionLocation(session.id));
    return session;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'Sessions you may see, most recent first', description: 'Each item carries attendance and action-point counts; GET /sessions/{id} has the full attendance and action points.' })
  @ApiOkResponse({ type: SessionPageDto })
  @ApiProblems(400)
  @Header('Content-Type', JSON_CONTENT_TYPE)
  list(@Ctx() ctx: RequestContext, @Query() query: ListSessionsQueryDto): Promise<string> {
    return this.sessions.list(ctx, query);
  }

  @Get(':id')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOkResponse({ type: SessionDto, headers: { ETag: { description: 'Version of the session, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<SessionDto> {
    return this.sessions.get(ctx, id);
  }

  @Patch(':id')
  @Roles(...SESSION_WRITERS)
  @ApiOperation({ summary: 'Change the session\'s own fields', description: 'networkId, attendance and action points are not changed here; action points have their own PATCH.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(400, 404, 412)
  update(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @IfMatch() expectedVersion: number | undefined, @Body() dto: UpdateSessionDto): Promise<SessionDto> {
    return this.sessions.update(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles(...SESSION_WRITERS)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.sessions.archive(ctx, id);
  }

  @Patch(':id/action-points/:actionPointId')
  @Roles(...SESSION_WRITERS)
  @ApiOperation({ summary: 'Follow up an action point', description: 'If-Match carries the action point\'s own version (its ETag), not the session\'s.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ActionPointDto })
  @ApiProblems(400, 404, 412)
  updateActionPoint(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Param('actionPointId', UuidParam) actionPointId: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateActionPointDto,
  ): Promise<ActionPointDto> {
    return this.actionPoints.update(ctx, id, actionPointId, expectedVersion, dto);
  }
}
