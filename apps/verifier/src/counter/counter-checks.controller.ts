import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { GovcredError, type CounterOptions } from '../../../../libs/credentials/src/index.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { ClerkSessionGuard, CurrentClerk } from './clerk-session.guard.js';
import type { ActiveClerkSession } from './clerks.service.js';
import { CounterChecksService } from './counter-checks.service.js';
import { CREATE_CHECK_SCHEMA, type CounterCheckView, type CounterHistoryEntry, type CreateCheckBody, type CreatedCounterCheck } from './dto/counter.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const validateCreate = bodyValidator<CreateCheckBody>(CREATE_CHECK_SCHEMA);
const checkId = (id: string) => {
  if (!UUID.test(id)) throw new GovcredError('not_found', 'no check of this clerk with this id');
};

/** How often a followed check is read again: the answer may land on another replica, so the database is polled. */
const POLL_MS = 250;

/** The counter page's API: a signed-in clerk's checks, for the clerk's own verifier account only. */
@ApiTags('counter')
@UseGuards(ClerkSessionGuard)
@Controller('counter')
export class CounterChecksController {
  constructor(private readonly checks: CounterChecksService) {}

  @Get('options')
  @ApiOperation({ summary: "What the clerk's account may ask: presets (enabled, or disabled with the reason) and claims to compose a check of, from its registration on chain" })
  options(@CurrentClerk() active: ActiveClerkSession): CounterOptions {
    return this.checks.options(active);
  }

  @Post('checks')
  @HttpCode(201)
  @BodyLimit('4kb')
  @ApiOperation({
    summary: 'Ask a check (a preset, or a composed one): an OpenID4VP request of the account, as a link for the QR code',
    description: '`check_invalid` (400) for an unknown preset or type, a bad district or claims not of the type; `request_not_registered` (403) beyond the registration on chain.',
  })
  @ApiBody({ schema: CREATE_CHECK_SCHEMA as never })
  create(@CurrentClerk() active: ActiveClerkSession, @Body() body: unknown, @Req() req: Request): Promise<CreatedCounterCheck> {
    return this.checks.create(active, validateCreate(body), `${req.protocol}://${req.get('host')}`);
  }

  @Get('checks/:id')
  @ApiOperation({ summary: "One of the clerk's checks: status and, once answered, the outcome (anyone else's answers 404)" })
  view(@CurrentClerk() active: ActiveClerkSession, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<CounterCheckView> {
    checkId(id);
    res.setHeader('cache-control', 'no-store');
    return this.checks.view(active, id);
  }

  @Sse('checks/:id/events')
  @ApiOperation({ summary: "Server-sent events of one of the clerk's checks: one event per change of status, closed once it is final" })
  async events(@CurrentClerk() active: ActiveClerkSession, @Param('id') id: string): Promise<Observable<MessageEvent>> {
    checkId(id);
    const first = await this.checks.view(active, id); // 404 before the stream opens
    return new Observable<MessageEvent>((subscriber) => {
      let last = '';
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const emit = (view: CounterCheckView) => {
        if (view.status !== last) subscriber.next({ data: view });
        last = view.status;
        if (view.status !== 'pending') subscriber.complete();
        else timer = setTimeout(poll, POLL_MS);
      };
      const poll = () => {
        if (closed) return;
        this.checks.view(active, id).then(emit, () => subscriber.complete());
      };
      emit(first);
      return () => {
        closed = true;
        clearTimeout(timer);
      };
    });
  }

  @Get('history')
  @ApiOperation({ summary: "The clerk's own checks within the result retention, newest first: time, check, outcome" })
  history(@CurrentClerk() active: ActiveClerkSession, @Res({ passthrough: true }) res: Response): Promise<CounterHistoryEntry[]> {
    res.setHeader('cache-control', 'no-store');
    return this.checks.history(active);
  }
}
