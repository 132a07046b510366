// The expression layer's public surface: FEEL everywhere, no JavaScript.
export { ExpressionError, isExpressionError, classifyExpression, evaluateFeel, checkExpression, parseTemplate } from './feel';
export type { ExpressionErrorCode, ExpressionKind, TemplatePart } from './feel';
export { FeelFunctionRegistry, isFeelBuiltinName } from './feel-functions';
export type { FeelFunctionImpl, FeelFunctionRegistryOptions } from './feel-functions';
export { createEngineExpressions, buildFeelScope } from './engine-expressions';
export type { EngineExpressions } from './engine-expressions';
