import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditContext } from './audit-context';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { TransactionAudit } from './transaction-audit';

/** The hash-chained audit log, its interceptor (global) and GET /api/audit. */
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditContext, TransactionAudit, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditService, AuditContext, TransactionAudit],
})
export class AuditModule {}
