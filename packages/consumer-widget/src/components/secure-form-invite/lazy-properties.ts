/**
 * A page may set properties (say `conversationToken`) before the loader's module has run and
 * defined the element: those land as own properties of the element that hide the class's
 * accessors. Taking them over through the setters is what web.dev's custom element best practices
 * call "make properties lazy".
 */

/** Moves each of `names` that `element` holds as an own property onto the class's setter. */
export function takeOverEarlyProperties<T extends object>(element: T, names: readonly (keyof T)[]): void {
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(element, name)) {
      const value = element[name];
      delete (element as Partial<T>)[name];
      element[name] = value;
    }
  }
}
