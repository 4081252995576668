/** The version of create-middleware, as the answers file records it (bundled at build time: no file read at start-up). */
import packageJson from "../package.json" with { type: "json" };

export const CLI_VERSION: string = packageJson.version;
