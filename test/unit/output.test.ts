/** Colours: Node decides (util.styleText with the stream), so a TTY's own colour rules, NO_COLOR included, apply. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, it } from "node:test";
import tty from "node:tty";
import { countOf, createReporter, palette } from "../../src/system/output.js";

const RED_X = "\u001b[31mx\u001b[39m";

/** A stream that collects what is written; `terminal` makes it answer like a TTY, with a real TTY's colour rules. */
function sink(terminal: boolean): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY?: boolean; getColorDepth?: () => number };
  stream.text = "";
  if (terminal) Object.assign(stream, { isTTY: true, getColorDepth: tty.WriteStream.prototype.getColorDepth });
  return stream;
}

const saved: Record<string, string | undefined> = {};
const ENV = ["NO_COLOR", "FORCE_COLOR", "TERM", "NODE_DISABLE_COLORS", "CI"];
beforeEach(() => {
  for (const key of ENV) {
    saved[key] = process.env[key];
    delete process.env[key];
  }
  process.env.TERM = "xterm-256color";
});
afterEach(() => {
  for (const key of ENV) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe("palette", () => {
  it("colours for a terminal, not for a pipe or file, and not without a stream", () => {
    assert.equal(palette(sink(true)).red("x"), RED_X);
    assert.equal(palette(sink(false)).red("x"), "x");
    assert.equal(palette().red("x"), "x");
  });

  it("honours NO_COLOR and TERM=dumb on a terminal", () => {
    process.env.NO_COLOR = "1";
    assert.equal(palette(sink(true)).red("x"), "x");
    delete process.env.NO_COLOR;
    process.env.TERM = "dumb";
    assert.equal(palette(sink(true)).green("x"), "x");
  });

  it("honours FORCE_COLOR, either way", () => {
    process.env.FORCE_COLOR = "1";
    assert.equal(palette(sink(false)).red("x"), RED_X);
    process.env.FORCE_COLOR = "0";
    assert.equal(palette(sink(true)).red("x"), "x");
  });

  it("styles every colour the reporter uses", () => {
    const colors = palette(sink(true));
    assert.deepEqual(
      [colors.bold("b"), colors.dim("d"), colors.green("g"), colors.yellow("y"), colors.cyan("c")],
      ["\u001b[1mb\u001b[22m", "\u001b[2md\u001b[22m", "\u001b[32mg\u001b[39m", "\u001b[33my\u001b[39m", "\u001b[36mc\u001b[39m"],
    );
  });
});

describe("createReporter", () => {
  it("writes plain lines to a pipe and coloured warnings to a terminal", () => {
    const pipe = sink(false);
    createReporter(pipe).warn("careful");
    assert.equal(pipe.text, "warning: careful\n");
    const terminal = sink(true);
    createReporter(terminal).warn("careful");
    assert.equal(terminal.text, "\u001b[33mwarning: careful\u001b[39m\n");
  });
});

describe("counts", () => {
  it("say one thing in the singular, every other count in the plural", () => {
    assert.equal(countOf(1, "file"), "1 file");
    assert.equal(countOf(0, "file"), "0 files");
    assert.equal(countOf(3, "combination"), "3 combinations");
    assert.equal(countOf(2, "entry", "entries"), "2 entries");
  });
});
