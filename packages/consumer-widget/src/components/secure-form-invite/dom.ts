/**
 * Building the invitation's shadow DOM by hand: the element is not a LitElement (no template
 * engine in the one script a brand adds), and every part is created once and then only updated.
 */

/** A new element with these attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
