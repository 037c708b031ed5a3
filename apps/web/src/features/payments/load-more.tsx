import { useEffect, useRef } from 'react';
import { t } from '../../i18n/fr.ts';

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * The end of a keyset-paged table (as the clients list): the next page loads when this scrolls
 * into view, or on the button; nothing when the last page is shown.
 */
export function LoadMore({ pages, label = t.payments.more }: { pages: Pages; label?: string }) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [pages]);
  return (
    <>
      <div ref={sentinel} />
      {pages.hasNextPage && (
        <button type="button" className="button button--ghost" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
          {label}
        </button>
      )}
    </>
  );
}
