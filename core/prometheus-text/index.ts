/*
 * The Prometheus text format as read by the model-server and Prometheus collectors and by the n8n
 * figures: a page parsed into samples by exact name (parse.ts), and sums and lookups over one
 * (page.ts).
 */
export { parseMetricsPage, parseValue, type MetricsPage, type PromSample } from './parse';
export { firstPresent, labelValues, meanOf, sumOf } from './page';
