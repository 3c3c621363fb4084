// The calculator worker's memory snapshot, packed for keeping. A snapshot is the interpreter's whole
// memory, about 31 MB, two thirds of it zero pages; only the pages holding something are kept (about
// 11 MB): less to store on a cheap phone, and less to read on every visit.
const PAGE_BYTES = 4096;

// Packed: [size, run count, (offset, length) per run] as 32-bit words, then the runs' bytes. A run is
// a stretch of pages that are not all zero.
export function packSnapshot(memory) {
  // Read a word at a time (a byte at a time takes a tenth of a second more); the last bytes singly.
  const words = new Uint32Array(memory.buffer.slice(memory.byteOffset, memory.byteOffset + (memory.length & ~3)));
  const isZero = (offset, end) => {
    for (let i = offset >> 2; i < end >> 2; i++) if (words[i] !== 0) return false;
    for (let i = end & ~3; i < end; i++) if (memory[i] !== 0) return false;
    return true;
  };
  const runs = [];
  for (let offset = 0; offset < memory.length; offset += PAGE_BYTES) {
    const end = Math.min(offset + PAGE_BYTES, memory.length);
    if (isZero(offset, end)) continue;
    const last = runs.at(-1);
    if (last && last[0] + last[1] === offset) last[1] += end - offset;
    else runs.push([offset, end - offset]);
  }
  const header = new Uint32Array([memory.length, runs.length, ...runs.flat()]);
  const packed = new Uint8Array(header.byteLength + runs.reduce((sum, [, length]) => sum + length, 0));
  packed.set(new Uint8Array(header.buffer));
  let at = header.byteLength;
  for (const [offset, length] of runs) {
    packed.set(memory.subarray(offset, offset + length), at);
    at += length;
  }
  return packed;
}

// The memory again, from the packed ArrayBuffer: zero wherever no run was kept.
export function unpackSnapshot(buffer) {
  const [size, runCount] = new Uint32Array(buffer, 0, 2);
  const runs = new Uint32Array(buffer, 8, runCount * 2);
  const memory = new Uint8Array(size);
  let at = 8 + runs.byteLength;
  for (let i = 0; i < runs.length; i += 2) {
    memory.set(new Uint8Array(buffer, at, runs[i + 1]), runs[i]);
    at += runs[i + 1];
  }
  return memory;
}
