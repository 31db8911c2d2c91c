import type { ReactNode } from 'react';

/**
 * A button that stays focusable while it cannot be used (aria-disabled), so keyboard focus is not
 * thrown back to the top of the page when an action starts or the selection changes.
 */
export function SoftButton({ enabled, onClick, className, children }: { enabled: boolean; onClick: () => void; className: string; children: ReactNode }) {
  return (
    <button type="button" className={className} aria-disabled={enabled ? undefined : true} onClick={() => (enabled ? onClick() : undefined)}>
      {children}
    </button>
  );
}
