/**
 * How every Secure Forms element registers its tag: once per page, by the first copy to run. A
 * brand page may add the loader script twice, or carry two copies (two versions) of a package; a
 * second `customElements.define` of a tag throws, which would stop the second script there. The
 * second copy leaves the first definition in place instead (its class is not used).
 */

/** Defines `tag` as `element` unless the page has already defined it (then does nothing). */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
