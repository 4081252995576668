/**
 * Template files a package gets only when an answer asks for them. A table, so the next optional file is
 * one row: the template renders as usual and the plan drops it when its answer is off.
 */
import type { Answers } from "../answers/answers.js";

export const UPDATE_WORKFLOW_PATH = ".github/workflows/template-update.yml";

const OPTIONAL_FILES: ReadonlyArray<{ path: string; wanted: (answers: Pick<Answers, "updateWorkflow">) => boolean }> = [
  { path: UPDATE_WORKFLOW_PATH, wanted: (answers) => answers.updateWorkflow === true },
];

/** Whether the rendered file at `path` belongs in the package with these answers. */
export function optionalFileWanted(path: string, answers: Pick<Answers, "updateWorkflow">): boolean {
  const row = OPTIONAL_FILES.find((candidate) => candidate.path === path);
  return row === undefined || row.wanted(answers);
}
