// Types of sizes.mjs, for the TypeScript that imports it (bench.test.ts).
export interface Sizes {
  min: number;
  gzip: number;
  brotli: number;
}
export interface MeasuredFiles extends Sizes {
  files: string[];
  heaviestLocale: string | null;
  locales: number;
  englishOnly: Sizes;
}
export interface Bundle extends MeasuredFiles {
  id: string;
  name: string;
  budget: number;
  ok: boolean;
}
export const ROOT: string;
export const BUNDLES: { id: string; name: string; always: () => string[]; lazy: string; budget: number }[];
export function gzipBytes(buffer: Uint8Array): number;
export function brotliBytes(buffer: Uint8Array): number;
export function isLocaleChunk(file: string): boolean;
export function measureFiles(files: { always: { file: string; data: Buffer }[]; lazy: { file: string; data: Buffer }[] }): MeasuredFiles;
export function buildFixture(entry: string, fileName: string, outDir: string): Promise<string>;
export function buildFloor(): Promise<MeasuredFiles>;
export function measureSizes(options?: {
  root?: string;
  floor?: boolean;
}): Promise<{ bundles: Bundle[]; floor: (MeasuredFiles & { id: string; name: string }) | null }>;
