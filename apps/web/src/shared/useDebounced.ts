import { useEffect, useRef, useState } from 'react';

/**
 * The value once it has stopped changing for `ms` milliseconds; a change after a quiet spell of `ms` or more (the
 * first keystroke of an edit) is passed on at once. So one keystroke is answered without waiting, and typing a
 * whole amount asks for its first digit and then for what stands once the typing pauses.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const lastChange = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    const now = performance.now();
    const quiet = now - lastChange.current >= ms;
    lastChange.current = now;
    if (quiet) {
      setSettled(value);
      return undefined;
    }
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
