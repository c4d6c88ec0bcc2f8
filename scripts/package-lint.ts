// The two package linters the package check runs beside its own checks: publint (package.json
// fields against what is packed) and are-the-types-wrong (every export's types as TypeScript
// resolves them under Node 16+ ESM and bundlers).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

// The CLI exports no API for packing a folder; its bin is run by path (package.json exports hide it).
const ATTW = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules/@arethetypeswrong/cli/dist/index.js');

/** publint's findings for the package in `dir` (suggestions included), one line each; empty when clean. */
export async function publintProblems(dir: string): Promise<string[]> {
  const { messages, pkg } = await publint({ pkgDir: dir, pack: 'npm', strict: true });
  return messages.map((message) => `publint ${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
}

/** Resolutions that an ES-module-only package does not offer: CommonJS require() and TypeScript's node10. */
const NOT_OFFERED = new Set(['node10', 'node16-cjs']);

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/**
 * are-the-types-wrong's findings for the package in `dir` (packed with `npm pack`), one line each;
 * empty when clean. `exclude` lists exports that are not modules (a classic script for a script tag).
 */
export function attwProblems(dir: string, exclude: string[] = []): string[] {
  const args = [ATTW, '--pack', dir, '--profile', 'esm-only', '--format', 'json'];
  if (exclude.length) args.push('--exclude-entrypoints', ...exclude);
  let output: string;
  try {
    output = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // It exits 1 when it finds a problem, with the JSON report on stdout all the same.
    output = (error as { stdout?: string }).stdout ?? '';
    if (!output) throw error;
  }
  const report = JSON.parse(output) as { analysis: { problems?: AttwProblem[] } };
  return (report.analysis.problems ?? [])
    .filter((problem) => !problem.resolutionKind || !NOT_OFFERED.has(problem.resolutionKind))
    .map((problem) => `are-the-types-wrong: ${problem.kind} at "${problem.entrypoint ?? '.'}" (${problem.resolutionKind ?? 'any'})`);
}
