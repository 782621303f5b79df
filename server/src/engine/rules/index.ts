/**
 * The risk rules engine (docs/RULES.md): rule definitions, their evaluation on quotes, bar closes
 * and portfolio snapshots, and the trigger policy. Pure: the rules module persists rules, feeds
 * the `quotes` topic and portfolio snapshots in, and hands the triggers to the AlertService.
 */
export { RuleBook, type RuleBookOptions } from './book';
export { compileRule, type CompiledRule, type RuleFamily } from './compile';
export { defaultMessage, type MessageLanguage } from './messages';
export { RuleProblem } from './problem';
export { toQuoteTick, type QuoteFields } from './quote-tick';
export { armedState, barBucket, isActive, mayFire, recordFire, type FireState } from './policy';
export { registryFeed, smaFeed } from './bar-conditions';
export { compileTemplate, formatFen, formatPrice, formatValue, PLACEHOLDERS, renderTemplate, type Placeholder, type TemplateValues } from './template';
export { elapsedSessionSeconds, SESSION_SECONDS } from './session';
export type * from './types';
