// What the proxy's listener tells the core alone. Its request events are the contract's and go to
// the core's event source (core-events.ts), handed to the ProxyServer when it is made.

export interface ProxyEvents {
  /** The proxy is listening at this address (after start() and after each successful rebind). */
  listening: (address: { host: string; port: number }) => void;
}
