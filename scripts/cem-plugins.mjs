/** Analyzer plugins shared by the packages' custom-elements-manifest.config.mjs. */

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
