import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../api';
import { CHECKS, CHECK_DEPARTMENT_LABELS, CHECK_TYPES } from './department-checks';
import { DepartmentChecksService } from './department-checks.service';

@ApiTags('connectors')
@Controller('api/connectors')
export class ConnectorsController {
  constructor(private readonly checks: DepartmentChecksService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The department connector set in use (simulated or real) and the checks it answers' })
  describe() {
    return {
      ...this.checks.connectorSet,
      checks: CHECK_TYPES.map((check) => ({
        check,
        label: CHECKS[check].label,
        department: CHECKS[check].department,
        departmentLabel: CHECK_DEPARTMENT_LABELS[CHECKS[check].department],
      })),
    };
  }
}
