/**
 * A model's name as the cost report's line items write it: `claude-opus-4-5-20251101` is
 * "Claude Opus 4.5", `claude-3-5-haiku-latest` is "Claude 3.5 Haiku". Ids that do not look like
 * Claude's are kept as they are.
 */
export function modelDisplayName(model: string): string {
  if (!/^claude-[a-z0-9-]+$/.test(model)) {
    return model;
  }
  const words = model
    .slice("claude-".length)
    .replace(/-(\d{8}|latest)$/, "")
    .split("-");
  const parts: string[] = [];
  for (const word of words) {
    const previous = parts.at(-1);
    if (/^\d+$/.test(word) && previous !== undefined && /^\d+(\.\d+)*$/.test(previous)) {
      parts[parts.length - 1] = `${previous}.${word}`;
    } else {
      parts.push(/^\d/.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1));
    }
  }
  return ["Claude", ...parts].join(" ");
}
