import { useEffect, useRef, useState } from 'react';

/**
 * A button that opens a form in place of itself. When the form closes (saved or cancelled), focus goes
 * back to the button once it is rendered again, so keyboard users stay where they were.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return { open, show: () => setOpen(true), close: () => setOpen(false), button };
}
