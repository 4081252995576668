/**
 * A pack question marked `"secret": true` (a token, a private registry password) is asked and rendered
 * like any other, but its answer is never recorded: not in `.create-middleware.json`, not in --json
 * reports. So `update` asks it again (--var, the team config, a prompt, else its default).
 */
import type { PackQuestion } from "./manifest.js";

/** `vars` without the answers to secret questions. */
export function withoutSecrets<T>(vars: Record<string, T>, questions: readonly PackQuestion[] | undefined): Record<string, T> {
  const secret = new Set((questions ?? []).filter((question) => question.secret).map((question) => question.key));
  if (secret.size === 0) return vars;
  return Object.fromEntries(Object.entries(vars).filter(([key]) => !secret.has(key)));
}
