import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Client } from './api/client';
import { ClientContext } from './lib/hooks';
import { Workspace } from './workspace';

/** React and the screens: loaded by main.tsx once the first page has been asked for. */
export function mount(client: Client): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ClientContext.Provider value={client}>
        <Workspace />
      </ClientContext.Provider>
    </StrictMode>,
  );
}
