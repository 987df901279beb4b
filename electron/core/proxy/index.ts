export { ProxyServer, type ProxyAddress, type ReconfigureResult } from './server';
export type * from '../contract/live-events';
