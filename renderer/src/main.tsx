import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/connect';
import { ClientContext } from './lib/hooks';
import { Workspace } from './workspace';
import './styles.css';

const client = connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <Workspace />
    </ClientContext.Provider>
  </StrictMode>,
);
