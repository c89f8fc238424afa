/**
 * A string → number map for millions of keys at a fraction of a JS Map's memory (reconciliation's ledger
 * lines, a statement's bill fees): the keys live as UTF-8 bytes in one growing arena, found through an
 * open-addressing table of entry numbers, and the values in a Float64Array (exact for every fen amount).
 * Exact, not probabilistic: a lookup compares the key's bytes. Deleted entries stay as tombstones.
 */
const EMPTY = 0;
/** Longest key in bytes (order numbers are 64 characters at most). */
const MAX_KEY_BYTES = 1024;

export class CompactMap {
  private arena = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offsets = new Int32Array(256);
  private lengths = new Int32Array(256);
  private values = new Float64Array(256);
  private live = new Uint8Array(256);
  private entries = 0;
  private liveEntries = 0;
  /** Slot → entry number + 1 (0: empty). Kept at most half full. */
  private slots = new Int32Array(512);
  private readonly scratch = Buffer.allocUnsafe(MAX_KEY_BYTES);

  /** How many keys are present. */
  get size(): number {
    return this.liveEntries;
  }

  get(key: string): number | undefined {
    const entry = this.lookup(this.encode(key));
    return entry >= 0 && this.live[entry] ? this.values[entry] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: number): this {
    const length = this.encode(key);
    const found = this.lookup(length);
    if (found >= 0) {
      if (!this.live[found]) this.liveEntries += 1;
      this.live[found] = 1;
      this.values[found] = value;
      return this;
    }
    if ((this.entries + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const entry = this.append(length, value);
    this.slots[this.probe(this.hash(this.scratch, length), (s) => this.slots[s] === EMPTY)] = entry + 1;
    return this;
  }

  /** Removes a key; true when it was present. */
  delete(key: string): boolean {
    const entry = this.lookup(this.encode(key));
    if (entry < 0 || !this.live[entry]) return false;
    this.live[entry] = 0;
    this.liveEntries -= 1;
    return true;
  }

  /** The present keys with their values, in insertion order. */
  *[Symbol.iterator](): Iterator<[string, number]> {
    for (let e = 0; e < this.entries; e++)
      if (this.live[e])
        yield [
          this.arena.toString('utf8', this.offsets[e], (this.offsets[e] ?? 0) + (this.lengths[e] ?? 0)),
          this.values[e] ?? 0,
        ];
  }

  /** Writes the key's bytes into the scratch buffer; returns their length. */
  private encode(key: string): number {
    const length = this.scratch.write(key, 0, 'utf8');
    if (length >= MAX_KEY_BYTES || Buffer.byteLength(key) !== length)
      throw new RangeError(`CompactMap keys are at most ${MAX_KEY_BYTES - 1} bytes.`);
    return length;
  }

  /** FNV-1a over the scratch bytes. */
  private hash(bytes: Buffer, length: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
    return h >>> 0;
  }

  /** Linear probing from the hash's slot to the first slot `stop` accepts. */
  private probe(hash: number, stop: (slot: number) => boolean): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (!stop(slot)) slot = (slot + 1) & mask;
    return slot;
  }

  /** The entry holding the scratch key (live or deleted), or -1. */
  private lookup(length: number): number {
    const slot = this.probe(this.hash(this.scratch, length), (s) => {
      const held = this.slots[s] ?? EMPTY;
      return held === EMPTY || this.equals(held - 1, length);
    });
    const held = this.slots[slot] ?? EMPTY;
    return held === EMPTY ? -1 : held - 1;
  }

  private equals(entry: number, length: number): boolean {
    if (this.lengths[entry] !== length) return false;
    const offset = this.offsets[entry] ?? 0;
    return this.arena.compare(this.scratch, 0, length, offset, offset + length) === 0;
  }

  /** Stores the scratch key and its value as a new entry; returns its number. */
  private append(length: number, value: number): number {
    if (this.used + length > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + length));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    this.scratch.copy(this.arena, this.used, 0, length);
    if (this.entries === this.offsets.length) this.growEntries();
    const entry = this.entries++;
    this.offsets[entry] = this.used;
    this.lengths[entry] = length;
    this.values[entry] = value;
    this.live[entry] = 1;
    this.used += length;
    this.liveEntries += 1;
    return entry;
  }

  private growEntries() {
    const n = this.offsets.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offsets = grow(this.offsets, (k) => new Int32Array(k));
    this.lengths = grow(this.lengths, (k) => new Int32Array(k));
    this.values = grow(this.values, (k) => new Float64Array(k));
    this.live = grow(this.live, (k) => new Uint8Array(k));
  }

  /** A table of `size` slots holding every entry (tombstones too, so a deleted key can come back). */
  private rehash(size: number) {
    this.slots = new Int32Array(size);
    for (let e = 0; e < this.entries; e++) {
      const offset = this.offsets[e] ?? 0;
      const length = this.lengths[e] ?? 0;
      const h = this.hash(this.arena.subarray(offset, offset + length), length);
      this.slots[this.probe(h, (s) => this.slots[s] === EMPTY)] = e + 1;
    }
  }
}
