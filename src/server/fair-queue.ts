// A queue that takes turns between clients (runtime-agnostic): each client (for the Node entry,
// a connection) has its own FIFO, and shift() takes the head of the next client's FIFO in
// rotation. One client's burst of 12 requests waits behind itself, not in front of another's
// single request: that one is at most (clients - 1) turns from the head.

export class FairQueue<T> {
  private readonly byClient = new Map<unknown, T[]>();
  /** Clients with something queued, in turn order; the head is served next. */
  private readonly turns: unknown[] = [];
  private count = 0;

  get length(): number { return this.count; }

  push(client: unknown, item: T): void {
    let q = this.byClient.get(client);
    if (!q) { this.byClient.set(client, q = []); this.turns.push(client); }
    q.push(item);
    this.count++;
  }

  /** The item shift() would return, without taking it. */
  peek(): T | undefined {
    return this.turns.length ? this.byClient.get(this.turns[0])![0] : undefined;
  }

  shift(): T | undefined {
    if (!this.turns.length) return undefined;
    const client = this.turns.shift()!;
    const q = this.byClient.get(client)!;
    const item = q.shift()!;
    this.count--;
    if (q.length) this.turns.push(client); // back of the line
    else this.byClient.delete(client);
    return item;
  }

  /** Takes one item out wherever it is (a request whose client went away); true if it was queued. */
  remove(client: unknown, item: T): boolean {
    const q = this.byClient.get(client);
    const i = q ? q.indexOf(item) : -1;
    if (i < 0) return false;
    q!.splice(i, 1);
    this.count--;
    if (!q!.length) { this.byClient.delete(client); this.turns.splice(this.turns.indexOf(client), 1); }
    return true;
  }

  /** Empties the queue, returning what was in it. */
  drain(): T[] {
    const all = [...this.byClient.values()].flat();
    this.byClient.clear();
    this.turns.length = 0;
    this.count = 0;
    return all;
  }
}
