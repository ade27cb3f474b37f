// Draws RadLens icons: a blue rounded square with a white lens ring.
import { encode } from 'fast-png';
import { writeFileSync } from 'node:fs';
function icon(size, maskable) {
  const data = new Uint8Array(size * size * 4);
  const c = size / 2, r = size * (maskable ? 0.5 : 0.46), corner = size * 0.18;
  const ringR = size * 0.22, ringW = size * 0.06;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const i = (y * size + x) * 4;
    let inside = true;
    if (!maskable) {
      const dx = Math.max(Math.abs(x + 0.5 - c) - (r - corner), 0), dy = Math.max(Math.abs(y + 0.5 - c) - (r - corner), 0);
      inside = Math.hypot(dx, dy) <= corner && Math.abs(x + 0.5 - c) <= r && Math.abs(y + 0.5 - c) <= r;
    }
    if (!inside) { data[i + 3] = 0; continue; }
    const d = Math.hypot(x + 0.5 - c * 0.92, y + 0.5 - c * 0.92);
    const handle = Math.abs((x - y)) < size * 0.05 && x > c * 1.05 && x < size * 0.78;
    const white = Math.abs(d - ringR) < ringW || handle;
    data[i] = white ? 255 : 11; data[i + 1] = white ? 255 : 92; data[i + 2] = white ? 255 : 173; data[i + 3] = 255;
  }
  return encode({ width: size, height: size, data, channels: 4 });
}
writeFileSync('public/icons/icon-192.png', icon(192, false));
writeFileSync('public/icons/icon-512.png', icon(512, false));
writeFileSync('public/icons/icon-maskable-512.png', icon(512, true));
