import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FormCatalog, pickForm } from './form-catalog.js';
import { FORMS, FakeBackend, PCI, SESSION, TestHost, refusal, testContext, IDENTITY_FORM } from './panel-test-support.js';

describe('pickForm', () => {
  it("keeps the agent's pick while it is listed, else picks the first form, else none", () => {
    expect(pickForm(FORMS, IDENTITY_FORM.id)).toBe(IDENTITY_FORM.id);
    expect(pickForm(FORMS, 'gone')).toBe('card-payment');
    expect(pickForm(FORMS, '')).toBe('card-payment');
    expect(pickForm([], IDENTITY_FORM.id)).toBe('');
  });
});

describe('FormCatalog', () => {
  let backend: FakeBackend;
  let context: ReturnType<typeof testContext>;
  let catalog: FormCatalog;

  beforeEach(() => {
    backend = new FakeBackend();
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => backend.fetch(input, init));
    const host = new TestHost();
    context = testContext(host);
    catalog = new FormCatalog(host, context);
  });

  afterEach(() => {
    context.scope.close();
    vi.unstubAllGlobals();
  });

  it('loads the forms and picks the first; the pick outlives a new scope while the form is listed', async () => {
    await catalog.load(context.scope.open(PCI, SESSION).api, false);
    expect([catalog.forms?.length, catalog.selected, catalog.failed]).toEqual([2, 'card-payment', false]);
    catalog.selected = IDENTITY_FORM.id;
    catalog.clear();
    expect(catalog.forms).toBeNull();
    await catalog.load(context.scope.open(PCI, SESSION).api, false);
    expect(catalog.selected).toBe(IDENTITY_FORM.id);
  });

  it('shows why loading failed in agent mode, and says nothing in history mode', async () => {
    backend.fetch = () => Promise.resolve(refusal('FORBIDDEN', 403));
    await catalog.load(context.scope.open(PCI, SESSION).api, true);
    expect([catalog.forms, catalog.failed, context.problems]).toEqual([null, false, []]);
    await catalog.load(context.scope.open(PCI, SESSION).api, false);
    expect([catalog.forms, catalog.failed, context.problems]).toEqual([[], true, ['FORBIDDEN']]);
  });

  it('drops the forms of a scope that closed meanwhile', async () => {
    const loading = catalog.load(context.scope.open(PCI, SESSION).api, false);
    context.scope.close();
    await loading;
    expect([catalog.forms, catalog.failed, context.problems]).toEqual([null, false, []]);
  });
});
