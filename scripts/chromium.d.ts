// Types for scripts/chromium.js.
import type { Browser } from 'playwright-core';

export const CHROMIUM: string;
export const ARGS: string[];
export function launchChromium(): Promise<Browser>;
