/**
 * Just enough of a Dockerfile reader for test/deploy-files.test.ts to check what the image runs:
 * comments dropped, continuation lines joined, each instruction with the stage it belongs to.
 * With no container engine here, this is how CI knows the Dockerfile runs what CI runs.
 */
export interface Instruction {
  /** The stage's `AS` name, or `stage-N` for an unnamed one. */
  stage: string;
  keyword: string;
  args: string;
}

export interface Dockerfile {
  /** `ARG` defaults declared before the first `FROM`. */
  globalArgs: Record<string, string>;
  instructions: Instruction[];
  /** The stage names in order; the last one is the image. */
  stages: string[];
}

export function parseDockerfile(text: string): Dockerfile {
  const joined = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const globalArgs: Record<string, string> = {};
  const instructions: Instruction[] = [];
  const stages: string[] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Za-z]+)\s+(.*?)\s*$/.exec(line);
    if (match === null) {
      continue;
    }
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.replace(/\s+/g, " ");
    if (keyword === "FROM") {
      const name = / AS (\S+)$/i.exec(args)?.[1] ?? `stage-${stages.length}`;
      stages.push(name);
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (keyword === "ARG") {
        const [name, value = ""] = args.split("=", 2);
        globalArgs[name!] = value;
      }
      continue;
    }
    instructions.push({ stage, keyword, args });
  }
  return { globalArgs, instructions, stages };
}

/** `ENV A=1 B=2` (no spaces in values, as ours have none) as one record per stage. */
export function stageEnv(dockerfile: Dockerfile, stage: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructionsOf(dockerfile, stage, "ENV")) {
    for (const pair of args.split(" ")) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

/** The arguments of every `keyword` instruction of `stage`, in order. */
export function instructionsOf(
  dockerfile: Dockerfile,
  stage: string,
  keyword: string,
): Instruction[] {
  return dockerfile.instructions.filter((i) => i.stage === stage && i.keyword === keyword);
}
