import { describe, expect, it } from 'vitest';
import { pciOriginOf } from './pci-origin.js';

describe('the PCI origin', () => {
  it('is the exact origin of an http(s) URL, and nothing else', () => {
    expect(pciOriginOf('https://pci.example/')).toBe('https://pci.example');
    expect(pciOriginOf('http://127.0.0.1:8443/v1/anything?x=1')).toBe('http://127.0.0.1:8443');
    expect(pciOriginOf('')).toBeNull();
    expect(pciOriginOf('pci.example')).toBeNull();
    expect(pciOriginOf('javascript:alert(1)')).toBeNull();
    expect(pciOriginOf('ftp://pci.example')).toBeNull();
  });
});
