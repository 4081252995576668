/** The environment a check gives the commands it runs in generated packages. */
/** The environment of the parent minus what `npm run` / `npm test` put there about *our* package. */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^npm_config_local_prefix$/i.test(key) || key === "INIT_CWD") continue;
    // Set when we run under `node --test`: a package's own `node --test` would then report to that runner
    // and exit 0 whatever its tests did, so a failing package would pass the check.
    if (key === "NODE_TEST_CONTEXT") continue;
    clean[key] = value;
  }
  return { ...clean, NO_COLOR: "1", FORCE_COLOR: "0", npm_config_update_notifier: "false" };
}
