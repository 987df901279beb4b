// Runs in the sandboxed renderer before the page, bundled to one CommonJS file (the sandbox
// allows nothing else). It exposes window.inspector: one named method per contract call and
// one onX(listener) => unsubscribe per event, nothing more (no ipcRenderer, no generic invoke).
import { contextBridge, ipcRenderer } from 'electron';
import type { InspectorBridge } from './core/contract/contract';
import { createBridge } from './core/api/preload-bridge';

const inspector = createBridge(ipcRenderer) satisfies InspectorBridge;

contextBridge.exposeInMainWorld('inspector', inspector);
