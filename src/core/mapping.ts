/**
 * Common option values mapped onto each provider's own ranges. The common scale for
 * `resemblance` and `detail` is 0–100 with 50 as the default; a provider may take 1–100, or a
 * signed range such as −10..10 (50 ↦ 0): each adapter names its range. Whatever had to be
 * clamped, rounded away or dropped is written down as a warning that ends up in the result.
 */
import type { ProviderId } from "./types.ts";

export class Warnings {
  readonly list: string[] = [];
  constructor(readonly provider: ProviderId) {}
  add(message: string): void {
    if (!this.list.includes(message)) this.list.push(message);
  }
  /** A common option this provider does not have. */
  dropped(option: string, why: string): void {
    this.add(`${option} was dropped: ${this.provider} ${why}.`);
  }
}

/** Clamps an integer into [min, max], with a warning when the value moved. */
export function clampInt(
  value: number | undefined,
  min: number,
  max: number,
  label: string,
  warnings: Warnings,
): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const rounded = Math.round(value);
  const clamped = Math.min(max, Math.max(min, rounded));
  if (clamped !== rounded)
    warnings.add(`${label} ${value} was clamped to ${clamped}: ${warnings.provider} takes ${min}–${max}.`);
  return clamped;
}

/** A common 0–100 knob on a provider's [min, max] scale of the same direction (e.g. 1–100). */
export function percentKnob(
  value: number | undefined,
  min: number,
  max: number,
  label: string,
  warnings: Warnings,
): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const common = Math.min(100, Math.max(0, Math.round(value)));
  if (common !== Math.round(value))
    warnings.add(`${label} ${value} was clamped to ${common}: the common range is 0–100.`);
  return clampInt(common, min, max, label, warnings);
}

/** A common 0–100 knob on a provider's −half..half scale (50 ↦ 0, 0 ↦ −half, 100 ↦ half). */
export function signedKnob(
  value: number | undefined,
  half: number,
  label: string,
  warnings: Warnings,
): number | undefined {
  if (value === undefined) return undefined;
  const common = Math.min(100, Math.max(0, value));
  if (common !== value)
    warnings.add(`${label} ${value} was clamped to ${common}: the common range is 0–100.`);
  return Math.round(((common - 50) * half) / 50);
}

/** The supported scale nearest to `requested` (ties go up), with a warning when it differs. */
export function nearestScale(requested: number, supported: readonly number[], warnings: Warnings): number {
  let best = supported[0]!;
  for (const s of supported) {
    if (
      Math.abs(s - requested) < Math.abs(best - requested) ||
      (Math.abs(s - requested) === Math.abs(best - requested) && s > best)
    )
      best = s;
  }
  if (best !== requested) {
    warnings.add(
      `scale ${requested} is not available on ${warnings.provider} (${supported.join(", ")}x); it upscales ${best}x instead.`,
    );
  }
  return best;
}

/** For providers that only double the image, whatever is asked. */
export function twoXOnly(requested: number | undefined, warnings: Warnings): number {
  if (requested !== undefined && requested !== 2) {
    warnings.add(
      `scale ${requested} is not available on ${warnings.provider}, which only upscales 2x; the result is 2x.`,
    );
  }
  return 2;
}
