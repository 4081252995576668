import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { checkExpressZodRateLimit } from "../src/index.js";

const app = express();

// A small limit, so that a few requests in a row show a refusal.

app.use(checkExpressZodRateLimit({ limit: 3 }));

app.get("/", (_req, res) => {
  res.json({ hello: "world" });
});

const onError: ErrorRequestHandler = (err, _req, res, _next) => {
  const { status = 500, expose = false, message } = err as { status?: number; expose?: boolean; message?: string };
  res.status(status).json({ error: expose ? message : "Internal Server Error" });
};
app.use(onError);

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: for i in 1 2 3 4; do curl -i http://localhost:${port}/; done`);
});
