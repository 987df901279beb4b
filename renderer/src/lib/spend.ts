import { useEffect, useState } from 'react';
import type { SpendSummary } from '../../../electron/core/contract/spend';
import { useClient } from './hooks';

/**
 * The live log's spend summary: asked once, then kept by spendChanged pushes (the core sends one
 * after commits that change spend, at most once a second, and at each hour's start). Asked again
 * only after a reconnection, which may have missed some. Off (null) for a database opened read-only.
 */
export function useSpend(enabled: boolean): SpendSummary | null {
  const client = useClient();
  const [spend, setSpend] = useState<SpendSummary | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () =>
      client.getSpend().then(
        (s) => live && setSpend(s),
        () => undefined,
      );
    const off = client.on('spendChanged', (s) => setSpend(s));
    const offConnection = client.onConnection((state) => state === 'open' && void load());
    void load();
    return () => {
      live = false;
      off();
      offConnection();
    };
  }, [client, enabled]);
  return spend;
}
