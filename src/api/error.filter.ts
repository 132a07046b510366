import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDomainError } from '../common';
import { HTTP_CODES, statusOf } from './error-codes';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * Every error leaves the API as `{ code, message, details }`. Domain errors map by kind; Nest's
 * own HTTP exceptions (unknown route, body too large, malformed JSON) keep their status; anything
 * else is a 500 whose body names only the request id, with the stack in the log.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const [status, body] = this.toBody(exception, req);
    if (res.headersSent) return;
    res.status(status).json(body);
  }

  private toBody(e: unknown, req: Request & { id?: string }): [number, ErrorBody] {
    if (isDomainError(e)) {
      return [statusOf(e.kind), { code: e.code, message: e.message, ...(e.details !== undefined && { details: e.details }) }];
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      if (status < 500) return [status, this.httpBody(e, status, req)];
      // a deliberate 503 (e.g. /health with the database down) keeps its status and report
      if (status === 503) return [503, { code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable', details: e.getResponse() }];
    }
    // body-parser and multer errors carry a 4xx status of their own (malformed JSON, too large)
    const s = (e as { status?: number; statusCode?: number })?.status ?? (e as { statusCode?: number })?.statusCode;
    if (typeof s === 'number' && s >= 400 && s < 500) {
      const type = (e as { type?: string }).type;
      const code = type === 'entity.parse.failed' ? 'MALFORMED_JSON' : (HTTP_CODES[s] ?? 'BAD_REQUEST');
      return [s, { code, message: (e as Error).message }];
    }
    this.logger.error({ err: e, requestId: req.id }, (e as Error)?.stack ?? String(e));
    return [500, { code: 'INTERNAL_ERROR', message: 'Internal error', details: { requestId: req.id } }];
  }

  private httpBody(e: HttpException, status: number, req: Request & { route?: unknown }): ErrorBody {
    if (status === 404 && e.constructor.name === 'NotFoundException' && /^Cannot /.test(e.message)) {
      return { code: 'ROUTE_NOT_FOUND', message: `No route ${req.method} ${req.path}` };
    }
    const response = e.getResponse() as string | { message?: unknown };
    const message = typeof response === 'string' ? response : Array.isArray(response.message) ? response.message.join('; ') : String(response.message ?? e.message);
    // Nest turns body-parser's SyntaxError into a plain BadRequestException (losing its type)
    // before any route is matched; a JSON parse message without a matched route is a bad body.
    if (status === 400 && !req.route && /\bJSON\b/.test(message)) {
      return { code: 'MALFORMED_JSON', message: `Malformed JSON body: ${message}` };
    }
    return { code: HTTP_CODES[status] ?? 'HTTP_ERROR', message };
  }
}
