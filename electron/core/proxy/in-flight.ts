// The exchanges in flight, for whenIdle() and stop(). Not a Set (or a Map): once a Set's hash table is
// in V8's old generation, V8 allocates every later table there too, and each table left behind by a
// rehash (every few adds under churn) keeps the entries it held, for iterators, until a full
// mark-compact. Those dead tables are roots for every minor GC, so each exchange that was in flight at
// some rehash survived the scavenges with its request, response, buffers and parsed usage, and was
// promoted: 13-18 % of the proxy's young bytes, against 0.1 % for a bare http-proxy (--trace-gc-nvp).
// An array with each member's slot in it drops a finished exchange outright, in O(1).

export interface InFlightMember {
  /** Its index in the registry's array while it is in flight; -1 otherwise. Owned by the registry. */
  inFlightSlot: number;
}

export class InFlight<T extends InFlightMember> {
  private readonly members: T[] = [];

  get size(): number {
    return this.members.length;
  }

  add(member: T): void {
    if (member.inFlightSlot !== -1) return;
    member.inFlightSlot = this.members.length;
    this.members.push(member);
  }

  delete(member: T): void {
    const slot = member.inFlightSlot;
    if (slot === -1 || this.members[slot] !== member) return;
    member.inFlightSlot = -1;
    const last = this.members.pop()!;
    if (last === member) return;
    this.members[slot] = last;
    last.inFlightSlot = slot;
  }

  /** A copy: members may finish (and leave) while the caller walks it. */
  list(): T[] {
    return this.members.slice();
  }
}
