/** Progress for the install: start and end lines elsewhere, one redrawn line on a TTY. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { palette } from "../../src/system/output.js";
import { startProgress } from "../../src/system/spinner.js";

describe("startProgress", () => {
  class Capture extends Writable {
    text = "";
    isTTY: boolean;
    constructor(tty: boolean) {
      super();
      this.isTTY = tty;
    }
    override _write(chunk: Buffer, _encoding: string, done: () => void) {
      this.text += chunk.toString();
      done();
    }
  }

  it("writes a start line and the caller's end line when not on a TTY", () => {
    const stream = new Capture(false);
    let clock = 0;
    const progress = startProgress("Installing dependencies with npm", { stream, now: () => clock });
    clock = 12_345;
    assert.equal(progress.elapsed(), 12_345);
    progress.stop("Installed dependencies in 12.3s");
    progress.stop("again");
    assert.equal(stream.text, "Installing dependencies with npm...\nInstalled dependencies in 12.3s\n");
  });

  it("redraws one line with the elapsed time on a TTY, and clears it at the end", async () => {
    const stream = new Capture(true);
    const progress = startProgress("Installing dependencies with npm", { stream, intervalMs: 10, colors: palette() });
    await new Promise((resolve) => setTimeout(resolve, 60));
    progress.stop("done");
    const draws = stream.text.split("\r\u001b[2K").filter(Boolean);
    assert.ok(draws.length >= 3, `redrawn several times: ${JSON.stringify(stream.text)}`);
    assert.match(draws[0] ?? "", /^. Installing dependencies with npm\.\.\. \d+\.\ds$/);
    assert.ok(stream.text.endsWith("\r\u001b[2Kdone\n"));
    assert.ok(!stream.text.includes("\n") || stream.text.indexOf("\n") === stream.text.length - 1, "one line only");
  });
});
