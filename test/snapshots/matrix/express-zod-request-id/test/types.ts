// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressZodRequestIdDefault, { checkExpressZodRequestId } from "../src/index.js";

const app = express();
app.use(checkExpressZodRequestId());
app.use("/api", checkExpressZodRequestIdDefault());
Router().use(checkExpressZodRequestId());

// On Node's http alone, without Express.
const middleware = checkExpressZodRequestId();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressZodRequestId())
app.use(checkExpressZodRequestId);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressZodRequestId);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressZodRequestId);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressZodRequestId);
