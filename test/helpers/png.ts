// A real PNG made in memory, so tests and benchmarks can send images a browser actually decodes
// without keeping binary fixtures. `noise` fills it with pseudo-random pixels, which deflate can't
// shrink: a noisy W×H image is about W×H×3 bytes (the size a benchmark asks for).
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function makePng(width: number, height: number, options: { noise?: boolean } = {}): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const o = row + 1 + x * 3;
      if (options.noise) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        raw[o] = seed >>> 24;
        raw[o + 1] = (seed >>> 16) & 0xff;
        raw[o + 2] = (seed >>> 8) & 0xff;
      } else {
        // A gradient with a sun in it: something a person looking at a screenshot recognises.
        const sun = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3.5) ** 2;
        raw[o] = sun ? 250 : Math.round((255 * x) / width);
        raw[o + 1] = sun ? 200 : Math.round((255 * y) / height);
        raw[o + 2] = sun ? 40 : 180;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: options.noise ? 0 : 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
