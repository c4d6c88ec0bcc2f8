import { extractMessagesFromProgram } from '@lit/localize-tools/lib/program-analysis.js';
import ts from 'typescript';
import type { Plugin } from 'vite';

/**
 * Keeps in each generated locale module only the messages a bundle's own modules use.
 *
 * The package has one message catalogue (xliff/*.xlf) for the invitation and the form frame, so
 * every locale module held both: in the host script's Arabic chunk, about three quarters of the
 * text was for a frame that the host never runs (every string added to the frame grew the host
 * script past its 10 kB budget), and the frame's chunks carried the invitation's strings. lit-localize's own analyser (the one
 * `lit-localize extract` runs) lists the messages of the modules `entry` imports; the rest are
 * dropped from the locale modules of this build. Written here because lit-localize has no
 * per-bundle catalogue; the ids are its own, so nothing is matched by hand.
 */
export function pruneLocales(entry: string, tsconfig: string): Plugin {
  let used: ReadonlySet<string> | null = null;
  const usedIds = (): ReadonlySet<string> => {
    if (used) return used;
    const config: unknown = ts.readConfigFile(tsconfig, (path) => ts.sys.readFile(path)).config;
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, tsconfig.replace(/[\\/][^\\/]+$/, ''));
    const { messages } = extractMessagesFromProgram(ts.createProgram([entry], options));
    used = new Set(messages.map((m) => m.name));
    return used;
  };
  return {
    name: 'prune-locales',
    transform(code, id) {
      if (!/[\\/]generated[\\/]locales[\\/][\w-]+\.ts$/.test(id)) return null;
      const keep = usedIds();
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.ES2022, true);
      // Remove, from the end backwards, every `'id': text` entry of `templates` that is not used.
      const cuts: [number, number][] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name) && !keep.has(node.name.text)) {
          const end = code[node.getEnd()] === ',' ? node.getEnd() + 1 : node.getEnd();
          cuts.push([node.getStart(file), end]);
        } else ts.forEachChild(node, visit);
      };
      visit(file);
      let out = code;
      for (const [start, end] of cuts.reverse()) out = out.slice(0, start) + out.slice(end);
      return { code: out, map: null };
    },
  };
}
