/**
 * Analyzer plugins shared by the packages' custom-elements-manifest.config.mjs.
 *
 * Plain JavaScript on purpose, not TypeScript like the other scripts: `cem analyze` (in the
 * packages' build) loads its config with @web/config-loader, which imports only .mjs, .cjs or .js
 * files under plain node, and the config imports this file.
 */

/**
 * The analyzer also records `dispatchEvent(new SomeEvent())` as an event without a name; the
 * documented `@event` tags already name every event, so drop those duplicates.
 */
export function namedEventsOnly() {
  return {
    name: 'named-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
    },
  };
}

/**
 * Writes a property's type as its values when it is a local alias of string literals (`type
 * Display = 'auto' | 'inline' | 'dialog'`): the analyzer keeps only the alias's name, which tells
 * an editor, or a reader of the README's API section, nothing about what to write.
 */
export function expandLiteralUnionAliases({ aliasSourcesOnly = [] } = {}) {
  const aliases = new Map();
  const expand = (item) => {
    const text = item.type?.text;
    if (text && aliases.has(text)) item.type = { ...item.type, text: aliases.get(text) };
  };
  return {
    name: 'expand-literal-union-aliases',
    analyzePhase({ ts, node }) {
      if (!ts.isTypeAliasDeclaration(node) || !ts.isUnionTypeNode(node.type)) return;
      const literals = node.type.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
      if (literals) aliases.set(node.name.getText(), node.type.getText());
    },
    packageLinkPhase({ customElementsManifest }) {
      // Modules globbed only for their aliases are not part of the published API.
      customElementsManifest.modules = customElementsManifest.modules.filter(
        (mod) => !aliasSourcesOnly.some((path) => mod.path.endsWith(path)),
      );
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          for (const member of declaration.members ?? []) expand(member);
          for (const attribute of declaration.attributes ?? []) expand(attribute);
        }
      }
    },
  };
}
