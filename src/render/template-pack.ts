/**
 * A team's template pack layered with the built-in templates. A pack has the built-in layout (base/,
 * <target>/, schemas/<schema>/, starters/<target>/<starter>/), each part optional, and is loaded by
 * packs/load-pack.ts (any source, read through pack-tree.ts: no symbolic links, nothing outside it).
 *
 * The order, per level, most specific level first and the pack before the built-in folder at each level:
 * pack schemas/<schema>, built-in schemas/<schema>, pack starters/…, built-in starters/…, pack <target>,
 * built-in <target>, pack base, built-in base. So a pack file overrides only the built-in file at the same
 * place: a pack's base/_partials/ci-matrix.hbs replaces the built-in base one, never the built-in
 * express/_partials/ci-matrix.hbs (the Express 4/5 CI matrix). Partials are looked up through the same order.
 */
import path from "node:path";
import { packFolder, packFolderExecutables, type PackTree } from "../packs/pack-tree.js";
import { isBuiltInStarter, PACK_STARTER_BASE } from "../tables/starters.js";
import { BUILTIN_TEMPLATES, layerLevels, type LayerChoice, type TemplateLayer } from "./template-source.js";

const PACK_LAYER_LABEL = "team pack/";

export function packageLayers(choice: LayerChoice, pack?: PackTree): TemplateLayer[] {
  // A pack's own starter has no built-in folder: the built-in level under it is the starter it builds on.
  const starterLevel = `starters/${choice.target}/${choice.starter}`;
  const builtInStarter = isBuiltInStarter(choice.starter) ? starterLevel : `starters/${choice.target}/${PACK_STARTER_BASE}`;
  return layerLevels(choice).flatMap((level): TemplateLayer[] => {
    const builtInLevel = level === starterLevel ? builtInStarter : level;
    const builtIn = { name: builtInLevel, root: path.join(BUILTIN_TEMPLATES, ...builtInLevel.split("/")) };
    if (!pack) return [builtIn];
    return [
      {
        name: `${PACK_LAYER_LABEL}${level}`,
        root: path.join(pack.root, ...level.split("/")),
        files: packFolder(pack, level),
        executable: packFolderExecutables(pack, level),
        sameLevel: builtIn,
      },
      builtIn,
    ];
  });
}
