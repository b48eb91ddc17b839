// Usage: node scripts/png-check.mjs FILE [MIN_COLOURS]
// Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) with node:zlib and fails unless the image
// has at least MIN_COLOURS distinct colours (default 8) and ink — non-white pixels — on ≥ 0.5 %.
/* global console */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { inflateSync } from 'node:zlib';

const [file, minArg] = process.argv.slice(2);
const min = Number(minArg ?? 8);
const buf = readFileSync(file);
if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error(`${file}: not a PNG`);
let off = 8;
let width = 0,
  height = 0,
  colourType = 0,
  depth = 0;
const idat = [];
while (off < buf.length) {
  const len = buf.readUInt32BE(off);
  const type = buf.toString('latin1', off + 4, off + 8);
  const data = buf.subarray(off + 8, off + 8 + len);
  if (type === 'IHDR') {
    width = data.readUInt32BE(0);
    height = data.readUInt32BE(4);
    depth = data[8];
    colourType = data[9];
  } else if (type === 'IDAT') idat.push(data);
  off += 12 + len;
}
if (depth !== 8 || (colourType !== 2 && colourType !== 6))
  throw new Error(`${file}: unsupported PNG (depth ${depth}, colour type ${colourType})`);
const bpp = colourType === 6 ? 4 : 3;
const raw = inflateSync(Buffer.concat(idat));
const stride = width * bpp;
const px = Buffer.alloc(stride * height);
for (let y = 0; y < height; y++) {
  const filter = raw[y * (stride + 1)];
  for (let x = 0; x < stride; x++) {
    const v = raw[y * (stride + 1) + 1 + x];
    const a = x >= bpp ? px[y * stride + x - bpp] : 0;
    const b = y > 0 ? px[(y - 1) * stride + x] : 0;
    const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
    let p = 0;
    if (filter === 1) p = a;
    else if (filter === 2) p = b;
    else if (filter === 3) p = (a + b) >> 1;
    else if (filter === 4) {
      const q = a + b - c,
        pa = Math.abs(q - a),
        pb = Math.abs(q - b),
        pc = Math.abs(q - c);
      p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    px[y * stride + x] = (v + p) & 0xff;
  }
}
const colours = new Set();
let ink = 0;
for (let i = 0; i < px.length; i += bpp) {
  colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) ink++;
}
const share = ink / (width * height);
console.log(
  `${file}: ${width}x${height}, ${buf.length} bytes, ${colours.size} colours, ${(share * 100).toFixed(2)} % non-white`,
);
if (colours.size < min || share < 0.005) {
  console.error(`${file}: looks blank (want ≥ ${min} colours and ≥ 0.5 % non-white pixels)`);
  process.exit(1);
}
