import { useEffect, useRef, useState } from 'react';

/**
 * A button that opens a form in place of itself. Opening moves focus to the form's first field
 * (the button is gone); closing it (saved or cancelled) moves focus back to the button once it is
 * rendered again, so keyboard users stay where they were.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open && !wasOpen.current) panel.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    if (!open && wasOpen.current) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return { open, show: () => setOpen(true), close: () => setOpen(false), button, panel };
}
