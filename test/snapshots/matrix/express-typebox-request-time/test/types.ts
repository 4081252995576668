// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressTypeboxRequestTimeDefault, { checkExpressTypeboxRequestTime } from "../src/index.js";

const app = express();
app.use(checkExpressTypeboxRequestTime());
app.use("/api", checkExpressTypeboxRequestTimeDefault());
Router().use(checkExpressTypeboxRequestTime());

// On Node's http alone, without Express.
const middleware = checkExpressTypeboxRequestTime();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressTypeboxRequestTime())
app.use(checkExpressTypeboxRequestTime);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressTypeboxRequestTime);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressTypeboxRequestTime);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressTypeboxRequestTime);
