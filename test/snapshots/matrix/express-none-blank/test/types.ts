// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressNoneBlankDefault, { checkExpressNoneBlank } from "../src/index.js";

const app = express();
app.use(checkExpressNoneBlank());
app.use("/api", checkExpressNoneBlankDefault());
Router().use(checkExpressNoneBlank());

// On Node's http alone, without Express.
const middleware = checkExpressNoneBlank();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressNoneBlank())
app.use(checkExpressNoneBlank);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressNoneBlank);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressNoneBlank);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressNoneBlank);
