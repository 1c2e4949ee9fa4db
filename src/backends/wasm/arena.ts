// Scratch space in the module's linear memory. Operands are copied in at each kernel call and
// results copied out (measured: 2-10% of a layer-sized matmul, and it keeps every Float32Array
// of the engine an ordinary JS array). Each call lays out its operands from offset 0 again.
// memory.grow detaches every view of the old buffer, so views are re-read after growing.

import type { ConvKernelExports, WasmMemory } from './module.ts';

const PAGE = 65536;

/** Who laid out each memory last (reset's owner; absent = an anonymous call): see reset. */
const layoutOwner = new WeakMap<WasmMemory, string>();

export class Arena {
  /** All of linear memory as f32 (valid until the next grow). */
  f32: Float32Array;
  /** The same memory as i32 (the max-pool's picks; valid until the next grow). */
  i32: Int32Array;
  private top = 0;
  /** The owner this layout was started with (reset's argument). */
  private layoutBy: string | undefined;

  /**
   * With `restride` (the second module's kernel), copyInRows/copyOutRows move padded rows in
   * wasm after one contiguous copy instead of one Float32Array.set per row.
   */
  constructor(private readonly memory: WasmMemory, readonly restride: ConvKernelExports['restride'] | null = null) {
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    layoutOwner.delete(memory); // a new Arena may write from offset 0 without a reset
  }

  /**
   * Starts a new call's layout. A caller that keeps data in memory across its calls (the dense
   * chain's transposed weights) names itself: the result is true only when the last layout of
   * this memory, through any Arena on it, was that same owner's, so nothing else wrote there since.
   */
  reset(owner?: string): boolean {
    this.top = 0;
    this.layoutBy = owner;
    const same = owner !== undefined && layoutOwner.get(this.memory) === owner;
    if (owner === undefined) layoutOwner.delete(this.memory);
    else layoutOwner.set(this.memory, owner);
    return same;
  }

  /** Reserves `floats` f32 slots, 16-byte aligned; returns the float index (byte offset / 4). */
  take(floats: number): number {
    const at = this.top;
    this.top += (floats + 3) & ~3;
    return at;
  }

  /**
   * Grows memory to hold everything taken since reset; call before writing. A layout that was not
   * started by this memory's current owner (another Arena's, or one without reset) clears the owner.
   */
  commit(): void {
    if (layoutOwner.get(this.memory) !== this.layoutBy) layoutOwner.delete(this.memory);
    const need = this.top * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      this.memory.grow(Math.ceil((need - have) / PAGE));
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
  }
}
