// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the type
// check if it ever compiles.
import { createServer } from "node:http";
import express, { Router } from "express";
import checkExpressJoiAsyncGuardDefault, { checkExpressJoiAsyncGuard } from "../src/index.js";

const app = express();
app.use(checkExpressJoiAsyncGuard());
app.use("/api", checkExpressJoiAsyncGuardDefault());
Router().use(checkExpressJoiAsyncGuard());

// On Node's http alone, without Express.
const middleware = checkExpressJoiAsyncGuard();
createServer((req, res) => middleware(req, res, () => res.end()));

// @ts-expect-error the factory must be called: app.use(checkExpressJoiAsyncGuard())
app.use(checkExpressJoiAsyncGuard);
// @ts-expect-error the factory must be called, on a path too
app.use("/api", checkExpressJoiAsyncGuard);
// @ts-expect-error the factory must be called, on a route too
app.get("/", checkExpressJoiAsyncGuard);
// @ts-expect-error the factory must be called, on a router too
Router().use(checkExpressJoiAsyncGuard);
