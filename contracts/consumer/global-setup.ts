/** Pact merges into an existing file; start from none, so removed interactions do not linger. */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pactDir } from "./support.ts";

export default async function setup(): Promise<void> {
  await mkdir(pactDir, { recursive: true });
  for (const name of await readdir(pactDir)) {
    if (/^upscale-harness-.+\.json$/.test(name)) await rm(join(pactDir, name));
  }
}
