// confirm() as a promise, shown in a native modal <dialog> (focus trapping and Escape come for free).
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | null>(null);

interface Pending extends ConfirmOptions {
  resolve: (answer: boolean) => void;
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const bodyId = useId();

  const confirm = useCallback<Confirm>((options) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return new Promise<boolean>((resolve) => setPending({ ...options, resolve }));
  }, []);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (pending && dialog && !dialog.open) dialog.showModal();
  }, [pending]);

  function settle(answer: boolean): void {
    const dialog = dialogRef.current;
    if (dialog?.open) dialog.close();
    pending?.resolve(answer);
    setPending(null);
    const target = returnFocus.current;
    if (target && target.isConnected) target.focus();
  }

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <dialog
        ref={dialogRef}
        className="dialog"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onCancel={(event) => {
          event.preventDefault();
          settle(false);
        }}
      >
        {pending ? (
          <form
            method="dialog"
            onSubmit={(event) => {
              event.preventDefault();
              settle(true);
            }}
          >
            <h2 id={titleId}>{pending.title}</h2>
            <div id={bodyId} className="dialog-body">
              {pending.body}
            </div>
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => settle(false)}>
                Cancel
              </button>
              <button type="submit" className={pending.danger ? 'button button-danger' : 'button button-primary'}>
                {pending.confirmLabel}
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm must be used inside <ConfirmProvider>');
  return confirm;
}
