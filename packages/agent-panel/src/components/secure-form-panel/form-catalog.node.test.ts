import type { FormSummary } from '@secure-forms/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FormCatalog, pickForm } from './form-catalog.js';
import { FORMS, FakeBackend, PCI, SESSION, TestHost, refusal, testContext } from './panel-test-support.js';

const forms = FORMS as unknown as FormSummary[];

describe('pickForm', () => {
  it("keeps the agent's pick while it is listed, else picks the first form, else none", () => {
    expect(pickForm(forms, 'identity')).toBe('identity');
    expect(pickForm(forms, 'gone')).toBe('card-payment');
    expect(pickForm(forms, '')).toBe('card-payment');
    expect(pickForm([], 'identity')).toBe('');
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
    catalog.selected = 'identity';
    catalog.clear();
    expect(catalog.forms).toBeNull();
    await catalog.load(context.scope.open(PCI, SESSION).api, false);
    expect(catalog.selected).toBe('identity');
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
