export type ExpressionErrorCode = 'EXPRESSION_SYNTAX' | 'EXPRESSION_EVALUATION' | 'EXPRESSION_FORBIDDEN';

/**
 * Raised for an expression that cannot be parsed, fails while evaluating, or reaches for
 * something a diagram may never touch. Inside an engine run it becomes the run error (the step
 * rolls back); at deploy time its message is what the validator reports.
 */
export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    /** The expression exactly as written in the diagram (with its `=` or `${}`). */
    readonly expression: string,
    /** What is wrong, without the expression text. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason} in expression ${JSON.stringify(expression)}`, options);
    this.name = 'ExpressionError';
  }
}

export function isExpressionError(e: unknown): e is ExpressionError {
  return e instanceof ExpressionError;
}
