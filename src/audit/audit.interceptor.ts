import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { Observable, catchError, concatMap, from, throwError } from 'rxjs';
import { AuditContext, AuditStore } from './audit-context';
import { AUDIT_METADATA, AuditOptions } from './audit.decorators';
import { AuditService } from './audit.service';
import { AuditedRequest, MUTATING_METHODS, outcomeOf, requestEntry, requestFacts } from './audit-request';

/**
 * Writes one audit row for every state-changing request (and every request marked @Audit), after
 * the handler has finished and before the response leaves, with its outcome. A failure to write
 * is logged and never changes the response; guards that refuse a request record it themselves
 * (identity's AccessGuard), since a refused request never reaches an interceptor.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly context: AuditContext,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuditedRequest>();
    const options = this.reflector.getAllAndOverride<AuditOptions | undefined>(AUDIT_METADATA, [ctx.getHandler(), ctx.getClass()]);
    if (!options && !MUTATING_METHODS.has(req.method)) return next.handle();
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler());
    const successStatus = declared ?? (req.method === 'POST' ? 201 : 200);
    const store: AuditStore = { request: requestFacts(req, options), notes: {}, recorded: false };
    const write = async (error: unknown, body?: unknown) => {
      if (store.recorded) return;
      await this.audit.tryRecord(requestEntry(req, store, options, outcomeOf(error, successStatus), body));
    };
    return new Observable((subscriber) =>
      this.context.run(store, () =>
        next
          .handle()
          .pipe(
            concatMap((body) => from(write(undefined, body).then(() => body))),
            catchError((error: unknown) => from(write(error)).pipe(concatMap(() => throwError(() => error)))),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
