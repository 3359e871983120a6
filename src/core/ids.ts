import { randomFillSync } from "node:crypto";
import { type Clock, ID_PREFIXES, type IdKind, type IdSource, systemClock } from "./ports.js";

// Base58 in ASCII order, so that fixed-width encodings sort like the numbers they encode.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const TIME_CHARS = 9; // 58^9 > 2^48 milliseconds
const HALF_CHARS = 7; // 58^7 > 2^40: the 80 random bits are two 40-bit halves
const HALF = 2 ** 40;

function encode(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET.charAt(rest % 58) + out;
    rest = Math.floor(rest / 58);
  }
  return out;
}

/**
 * Time-sortable ids like `user_01…`: 48 bits of milliseconds, then 80 random bits, base58 with
 * fixed widths (plain number arithmetic: ids are made on every gateway request). Within one
 * millisecond the random part is incremented, so ids from one process are strictly increasing
 * and cursor pagination by id follows creation order.
 */
export class TimeSortableIds implements IdSource {
  #lastMs = -1;
  #high = 0;
  #low = 0;
  // The time and the random part's high half, as encoded: they change once a millisecond (or when
  // the low half overflows), while an id is made for every gateway request.
  #timeText = "";
  #highText = "";
  readonly #pool = Buffer.alloc(10 * 256);
  #poolOffset = this.#pool.length;

  constructor(private readonly clock: Clock = systemClock) {}

  next(kind: IdKind): string {
    const ms = Math.max(this.clock.now().getTime(), this.#lastMs);
    if (ms === this.#lastMs) {
      this.#low += 1;
      if (this.#low >= HALF) {
        this.#low = 0;
        this.#high += 1;
        this.#highText = encode(this.#high, HALF_CHARS);
      }
    } else {
      this.#lastMs = ms;
      this.#fillRandom();
      this.#timeText = encode(ms, TIME_CHARS);
      this.#highText = encode(this.#high, HALF_CHARS);
    }
    return `${ID_PREFIXES[kind]}_01${this.#timeText}${this.#highText}${encode(this.#low, HALF_CHARS)}`;
  }

  /** 80 fresh random bits, the top one clear so increments within a millisecond cannot overflow. */
  #fillRandom(): void {
    if (this.#poolOffset + 10 > this.#pool.length) {
      randomFillSync(this.#pool);
      this.#poolOffset = 0;
    }
    const p = this.#pool;
    const o = this.#poolOffset;
    this.#poolOffset += 10;
    this.#high = ((p[o] ?? 0) & 0x7f) * 2 ** 32 + (p.readUInt32BE(o + 1) >>> 0);
    this.#low = (p[o + 5] ?? 0) * 2 ** 32 + (p.readUInt32BE(o + 6) >>> 0);
  }
}

const BODY_LENGTH = TIME_CHARS + 2 * HALF_CHARS;
const ID_PATTERN = new RegExp(`^[a-z]+_01[${ALPHABET}]{${BODY_LENGTH}}$`);

/** True when `value` has the shape of an id of `kind` (it may still not exist). */
export function isIdOf(kind: IdKind, value: string): boolean {
  return value.startsWith(`${ID_PREFIXES[kind]}_`) && ID_PATTERN.test(value);
}
