/** The operator's permission (login response's `operator.permissions`) that each panel mode needs. */
export const HISTORY_PERMISSION = 'view-responses-in-history';
export const SEND_PERMISSION = 'use-secure-form';

/**
 * Whether an operator with `permissions` may use the panel in `mode` (`history`, else agent).
 * Unset permissions: the backend decides, so the panel allows.
 */
export function mayUse(mode: string, permissions: readonly string[] | undefined): boolean {
  return permissions === undefined || permissions.includes(mode === 'history' ? HISTORY_PERMISSION : SEND_PERMISSION);
}
