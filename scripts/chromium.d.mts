// Types for chromium.mjs, which the Vitest and Playwright configs (TypeScript) import.
import type { LaunchOptions } from 'playwright';

export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): string | undefined;
export declare function chromiumLaunchOptions(): LaunchOptions;
