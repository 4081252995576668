import type { AddressInfo } from "node:net";
import express from "express";
import { checkExpressJoiAsyncGuard } from "../src/index.js";

// Stands in for a session store or an API-key lookup.
const validKeys = new Set(["secret"]);

const app = express();

// A refused request is answered by the middleware itself: the status and { error }.
app.use(
  checkExpressJoiAsyncGuard({
    validate: async (req) => validKeys.has(String(req.headers["x-api-key"] ?? "")),
  }),
);

app.get("/", (_req, res) => {
  res.json({ hello: "world" });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://localhost:${port}`);
  console.log(`Try: curl -i -H "X-Api-Key: secret" http://localhost:${port}/ (and without the header)`);
});
