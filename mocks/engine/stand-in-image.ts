/**
 * The image that stands in for a remote input the simulator may not download: a real PNG drawn
 * from a hash of the input's name, so the same URL always yields the same bytes (tests and
 * recorded runs repeat) and two URLs yield different ones (a mix-up between inputs shows).
 * Its size (256–512 × 192–384) is a plausible low-resolution photo that every provider's
 * factor can upscale within its limits.
 */
import { createHash } from "node:crypto";
import { loadSharp } from "./images.ts";

export interface StandInImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Stand-ins drawn lately, by name: a seed example replayed in a loop is drawn once. */
const recent = new Map<string, Promise<StandInImage>>();
const recentLimit = 64;

export function standInImage(name: string): Promise<StandInImage> {
  const known = recent.get(name);
  if (known) return known;
  const drawn = drawStandIn(name);
  if (recent.size >= recentLimit) recent.delete(recent.keys().next().value!);
  recent.set(name, drawn);
  // A failed draw is not kept, so the next request tries again.
  drawn.catch(() => recent.delete(name));
  return drawn;
}

/** Draws the stand-in for `name` afresh (no cache): the same name gives the same bytes. */
export async function drawStandIn(name: string): Promise<StandInImage> {
  const seed = createHash("sha256").update(name).digest();
  const width = 256 + 16 * (seed[0]! % 17);
  const height = 192 + 16 * (seed[1]! % 13);
  // Two hashed colours blended along a hashed direction, with hashed stripes on top: smooth
  // areas and edges, like a photo, so an upscaler has something to work on.
  const from = [seed[2]!, seed[3]!, seed[4]!];
  const to = [seed[5]!, seed[6]!, seed[7]!];
  const angle = (seed[8]! / 256) * Math.PI * 2;
  const stripe = 8 + (seed[9]! % 24);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const span = Math.abs(dx) * width + Math.abs(dy) * height;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = (x * dx + y * dy) / span + 0.5;
      const t = Math.min(1, Math.max(0, along));
      const band = Math.floor((x + y * (seed[10]! % 3)) / stripe) % 2 === 0 ? 1 : 0.82;
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.round((from[c]! * (1 - t) + to[c]! * t) * band);
    }
  }
  const sharp = await loadSharp();
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return { data: new Uint8Array(png), width, height };
}
