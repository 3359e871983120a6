import { randomBytes } from "node:crypto";
import { type Clock, ID_PREFIXES, type IdKind, type IdSource, systemClock } from "./ports.js";

// Base58 in ASCII order, so that fixed-width encodings sort like the numbers they encode.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BODY_LENGTH = 22; // ceil(128 bits / log2(58))

function encodeBase58(value: bigint, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[Number(rest % 58n)] + out;
    rest /= 58n;
  }
  return out;
}

/**
 * Time-sortable ids like `user_01…`: 48 bits of milliseconds then 80 random bits, base58 encoded.
 * Within one millisecond the random part is incremented, so ids from one process are strictly
 * increasing and cursor pagination by id follows creation order.
 */
export class TimeSortableIds implements IdSource {
  #lastMs = -1;
  #lastRandom = 0n;

  constructor(private readonly clock: Clock = systemClock) {}

  next(kind: IdKind): string {
    const ms = Math.max(this.clock.now().getTime(), this.#lastMs);
    let random: bigint;
    if (ms === this.#lastMs) {
      random = this.#lastRandom + 1n;
    } else {
      random = BigInt(`0x${randomBytes(10).toString("hex")}`) >> 1n; // headroom for increments
    }
    this.#lastMs = ms;
    this.#lastRandom = random;
    const value = (BigInt(ms) << 80n) | random;
    return `${ID_PREFIXES[kind]}_01${encodeBase58(value, BODY_LENGTH)}`;
  }
}

const ID_PATTERN = new RegExp(`^[a-z]+_01[${ALPHABET}]{${BODY_LENGTH}}$`);

/** True when `value` has the shape of an id of `kind` (it may still not exist). */
export function isIdOf(kind: IdKind, value: string): boolean {
  return value.startsWith(`${ID_PREFIXES[kind]}_`) && ID_PATTERN.test(value);
}
