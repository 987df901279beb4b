// Threads inferred from the traffic: message hashes, client-native ids, and the assignment of each
// request to a thread and turn. Pure functions of their input (the lookups are passed in); the
// writer runs them (storage/thread-store.ts), off the request path.
export { assignThread, nativeKey, NO_OVERRIDES } from './assign';
export type { Assignment, Overrides, Prior, ThreadLookup } from './assign';
export { threadFacts } from './facts';
export type { ThreadFacts, ThreadInput } from './facts';
export { chainOf, hashConversation, hashText } from './message-hashes';
export type { HashedConversation, MessageHash } from './message-hashes';
export { readSignals, responseIdOf, sessionFromUserId, THREAD_HEADER } from './signals';
export type { NativeId, Signals } from './signals';
