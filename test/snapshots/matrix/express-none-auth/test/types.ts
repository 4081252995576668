// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressNoneAuthDefault, { checkExpressNoneAuth } from "../src/index.js";

const app = express();
app.use(checkExpressNoneAuth());
app.use("/api", checkExpressNoneAuthDefault());
Router().use(checkExpressNoneAuth());

// On Node's http alone, without Express.
const middleware = checkExpressNoneAuth();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressNoneAuth())
app.use(checkExpressNoneAuth);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressNoneAuth);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressNoneAuth);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressNoneAuth);
