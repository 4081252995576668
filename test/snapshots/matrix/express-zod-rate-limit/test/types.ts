// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressZodRateLimitDefault, { checkExpressZodRateLimit } from "../src/index.js";

const app = express();
app.use(checkExpressZodRateLimit());
app.use("/api", checkExpressZodRateLimitDefault());
Router().use(checkExpressZodRateLimit());

// On Node's http alone, without Express.
const middleware = checkExpressZodRateLimit();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressZodRateLimit())
app.use(checkExpressZodRateLimit);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressZodRateLimit);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressZodRateLimit);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressZodRateLimit);
