// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressValibotLoggerDefault, { checkExpressValibotLogger } from "../src/index.js";

const app = express();
app.use(checkExpressValibotLogger());
app.use("/api", checkExpressValibotLoggerDefault());
Router().use(checkExpressValibotLogger());

// On Node's http alone, without Express.
const middleware = checkExpressValibotLogger();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressValibotLogger())
app.use(checkExpressValibotLogger);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressValibotLogger);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressValibotLogger);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressValibotLogger);
