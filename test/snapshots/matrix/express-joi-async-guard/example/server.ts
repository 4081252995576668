import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { checkExpressJoiAsyncGuard } from "../src/index.js";

// Stands in for a session store or an API-key lookup.
const validKeys = new Set(["secret"]);

const app = express();

app.use(
  checkExpressJoiAsyncGuard({
    validate: async (req) => validKeys.has(String(req.headers["x-api-key"] ?? "")),
  }),
);

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
  console.log(`Try: curl -i -H "X-Api-Key: secret" http://localhost:${port}/ (and without the header)`);
});
