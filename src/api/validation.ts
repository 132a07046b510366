import { ValidationError, ValidationPipe } from '@nestjs/common';
import { BadInputError } from '../common';

export interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** 400 VALIDATION_FAILED naming each bad field; unknown fields are refused, not dropped. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadInputError('VALIDATION_FAILED', `Invalid ${fields.map((f) => f.field).join(', ')}: ${fields.map((f) => f.problems.join(', ')).join('; ')}`, { fields });
    },
  });
}
