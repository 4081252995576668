import { FailedError } from "../errors.js";

export async function runCheck(_flags: Record<string, unknown>): Promise<void> {
  throw new FailedError("check is not implemented yet.");
}
