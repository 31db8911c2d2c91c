// Live updates: GET /api/v1/stream sends `event: alerts` whenever alerts change (no data: the page
// refetches what it shows). When the stream is down the page polls instead, and says so.
import { useEffect, useRef, useState } from 'react';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'polling';

/** How often to refetch while the stream is down. */
export const POLL_MS = 30_000;
const MAX_RETRY_MS = 60_000;

/**
 * Calls `onChange` whenever the server says alerts changed, and once more after a dropped stream
 * reconnects (changes may have been missed meanwhile). Falls back to polling every 30 s while the
 * stream is unavailable, retrying it with a backoff when the browser gives up on it.
 */
export function useAlertStream(onChange: () => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setState('polling');
      const poll = window.setInterval(() => callback.current(), POLL_MS);
      return () => window.clearInterval(poll);
    }
    let source: EventSource | null = null;
    let retryTimer: number | undefined;
    let pollTimer: number | undefined;
    let failures = 0;
    let missedSome = false;
    let stopped = false;

    const startPolling = () => {
      pollTimer ??= window.setInterval(() => callback.current(), POLL_MS);
    };
    const stopPolling = () => {
      window.clearInterval(pollTimer);
      pollTimer = undefined;
    };
    const onAlerts = () => callback.current();

    function connect(): void {
      if (stopped) return;
      const current = new EventSource('/api/v1/stream');
      source = current;
      current.addEventListener('open', () => {
        failures = 0;
        stopPolling();
        setState('live');
        if (missedSome) {
          missedSome = false;
          callback.current();
        }
      });
      current.addEventListener('alerts', onAlerts);
      current.addEventListener('error', () => {
        missedSome = true;
        startPolling();
        if (current.readyState === EventSource.CLOSED) {
          // The browser gave up (an HTTP error, say): try again ourselves, waiting longer each time.
          current.close();
          failures++;
          setState('polling');
          window.clearTimeout(retryTimer);
          retryTimer = window.setTimeout(connect, Math.min(MAX_RETRY_MS, 2_000 * 2 ** Math.min(failures, 5)));
        } else {
          setState('reconnecting');
        }
      });
    }

    connect();
    return () => {
      stopped = true;
      source?.close();
      window.clearTimeout(retryTimer);
      stopPolling();
    };
  }, []);

  return state;
}

const LIVE_TEXT: Record<LiveState, { label: string; title: string }> = {
  connecting: { label: 'Connecting…', title: 'Connecting to live updates.' },
  live: { label: 'Live', title: 'This page updates by itself when alerts change.' },
  reconnecting: { label: 'Reconnecting…', title: 'The live connection dropped. Reconnecting; meanwhile the page refreshes every 30 seconds.' },
  polling: { label: 'Refreshing every 30 s', title: 'Live updates are unavailable right now, so the page refreshes every 30 seconds.' },
};

/** A small "Live" dot; announces changes politely (a dropped stream, a recovered one). */
export function LiveIndicator({ state }: { state: LiveState }) {
  const text = LIVE_TEXT[state];
  return (
    <span className={`live live-${state}`} role="status" title={text.title}>
      <span className="live-dot" aria-hidden="true" />
      {text.label}
      <span className="visually-hidden">: {text.title}</span>
    </span>
  );
}
