import { describe, expect, it } from 'vitest';
import { takeOverEarlyProperties } from './lazy-properties.js';

class Element {
  set: string[] = [];
  #token = '';
  get token(): string {
    return this.#token;
  }
  set token(v: string) {
    this.set.push(v);
    this.#token = v;
  }
  get title(): string {
    return 'from the class';
  }
  set title(v: string) {
    this.set.push(v);
  }
}

describe('taking over properties set before the element was defined', () => {
  it('moves an own property onto the setter, and leaves the ones never set alone', () => {
    const element = new Element();
    // What a page does to the element before its class is defined: a plain own property.
    Object.defineProperty(element, 'token', { value: 'early', writable: true, configurable: true, enumerable: true });
    expect(element.token).toBe('early');
    takeOverEarlyProperties(element, ['token', 'title']);
    expect(Object.prototype.hasOwnProperty.call(element, 'token')).toBe(false);
    expect(element.token).toBe('early');
    expect(element.set).toEqual(['early']);
    expect(element.title).toBe('from the class');
  });
});
