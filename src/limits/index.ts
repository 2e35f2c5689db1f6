/**
 * Operation limits: owns the per-viewer budgets, the measuring of an operation (tokens, depth,
 * aliases, root fields, cost), the pre-parse token guard and the plugin that refuses an operation over budget before any
 * resolver runs. Reads no data and imports no feature; `measureOperation` is exported for scripts.
 */
export { viewerClass, type Budget, type OperationLimits, type ViewerClass } from './budgets';
export { documentSizeGuard } from './document-size.guard';
export { countTokens } from './document-tokens';
export { measureOperation, type MeasureOptions, type OperationMeasure } from './operation-cost';
export { operationLimitsPlugin } from './operation-limits.plugin';
export { SIGN_IN_MUTATIONS } from './sign-in-mutations';
