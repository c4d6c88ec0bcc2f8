/** The PCI origin the invitation names, as an exact origin to load the frame from and talk to. */

/** The exact origin to talk to, or null when `pciOrigin` is not an http(s) URL. */
export function pciOriginOf(pciOrigin: string): string | null {
  try {
    const url = new URL(pciOrigin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}
