// The page's outer shell: which log the screens show. Live is the proxy's own log; each database
// opened with db:open is a read-only viewer beside it. The screens (App) get a client scoped to
// the chosen source through ClientContext and are remounted on a switch, so a viewer's list,
// selection and stats never carry live rows.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DatabaseSource } from '../../electron/core/contract/types';
import { App } from './app';
import { OpenDatabaseDialog, SourceTabs } from './components/sources';
import { toast } from './lib/clipboard';
import { ClientContext, errorMessage, useClient } from './lib/hooks';
import { scopeClient } from './model/source-client';

/** True inside Electron, where the host asks for file paths with native dialogs. */
const inElectron = typeof window !== 'undefined' && 'inspector' in window;

export function Workspace() {
  const client = useClient();
  const [sources, setSources] = useState<DatabaseSource[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  // Viewers belong to the server: after a reload the page finds the ones still open.
  useEffect(() => {
    client.listDatabases().then(setSources, () => undefined);
  }, [client]);

  const scoped = useMemo(() => (active === null ? client : scopeClient(client, active)), [client, active]);
  const source = sources.find((s) => s.id === active) ?? null;

  const opened = useCallback((s: DatabaseSource) => {
    setSources((list) => (list.some((x) => x.id === s.id) ? list : [...list, s]));
    setActive(s.id);
    setOpening(false);
  }, []);

  const close = useCallback(
    (id: string) => {
      client.closeDatabase({ id }).catch((e: unknown) => toast(`Could not close: ${errorMessage(e)}`));
      setSources((list) => list.filter((s) => s.id !== id));
      setActive((cur) => (cur === id ? null : cur));
    },
    [client],
  );

  const bar = <SourceTabs sources={sources} active={active} onSelect={setActive} onClose={close} />;
  return (
    <>
      <ClientContext.Provider value={scoped}>
        <App key={active ?? 'live'} source={source} sourceBar={bar} onOpenDatabase={() => setOpening(true)} />
      </ClientContext.Provider>
      {opening && <OpenDatabaseDialog native={inElectron} onOpened={opened} onClose={() => setOpening(false)} />}
    </>
  );
}
