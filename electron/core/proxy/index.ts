export { ProxyServer, type ProxyAddress, type ReconfigureResult } from './server';
export type * from '../contract/live-events';
export type { ProxyEvents } from './proxy-events';
