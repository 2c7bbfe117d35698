/**
 * Answers for questions (the Monitoring node's Ask resource, used by AI agents and MCP clients):
 * short texts with units in words and a size budget, over the same queries as the dashboard.
 */
export {
	ANSWER_BUDGET_CHARS,
	DEFAULT_MAX_LINES,
	MAX_BUDGET_CHARS,
	MAX_LINES,
	MIN_BUDGET_CHARS,
	clampBudget,
	fitLines,
	type Answer,
} from './budget';
export { askStatus, MAX_UNUSUAL_SERIES, type StatusAnswer, type StatusOptions } from './status';
export { askExplain, MAX_EXPLAIN_SERIES, type ExplainAnswer, type ExplainOptions } from './explain';
export {
	askQuery,
	DEFAULT_QUERY_POINTS,
	MAX_QUERY_POINTS,
	MAX_QUERY_SERIES,
	type AskQueryOptions,
	type QueryAnswer,
	type SeriesSummary,
} from './query';
export {
	askFind,
	FIND_WHAT,
	patternMatcher,
	type FindAnswer,
	type FindOptions,
	type FindWhat,
} from './find';
export { figure, inUnit, valueOf, duration } from './words';
