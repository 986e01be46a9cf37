import { useEffect, useState } from 'react';

/**
 * An element's width in CSS pixels, kept current as the window or its layout changes (null until
 * measured). Returns the ref to put on the element: a callback, so an element that appears later
 * (after a loading state) is measured too.
 */
export function useElementWidth<T extends HTMLElement>(): [(element: T | null) => void, number | null] {
  const [element, setElement] = useState<T | null>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    if (!element) return;
    // A ResizeObserver reports the element's size once when it starts observing, then on every change.
    const observer = new ResizeObserver((entries) => {
      const entry = entries.at(-1);
      if (entry) setWidth(entry.contentRect.width);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [element]);
  return [setElement, width];
}
