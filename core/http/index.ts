/*
 * HTTP shared by collectors and the n8n client: GETs under a base URL with readable failures
 * (client.ts), and what of a request and its answer may be shown in a reason (display.ts).
 */
export { endpointIO, EndpointError, type EndpointIO, type IOOptions } from './client';
export { describeFetchError, displayUrl, excerpt, joinUrl, redact } from './display';
