import type { AddressInfo } from "node:net";
import express from "express";
import { checkExpressZodRateLimit } from "../src/index.js";

const app = express();

// A refused request is answered by the limiter itself: 429, Retry-After and { error, retryAfter }.
// A small limit, so that a few requests in a row show a refusal.

app.use(checkExpressZodRateLimit({ limit: 3 }));

app.get("/", (_req, res) => {
  res.json({ hello: "world" });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: for i in 1 2 3 4; do curl -i http://localhost:${port}/; done`);
});
