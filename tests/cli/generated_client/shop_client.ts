// A shop client typed by the types openapi-typescript generates from docs/openapi.yaml
// (./api.d.ts): what it sends and reads must be what the document describes, or tsc
// refuses it. It talks to the server over Node's https module with a client certificate.
//
//   node shop_client.js   (with TLSHOP_SERVER, TLSHOP_CA, TLSHOP_CERT, TLSHOP_KEY,
//                          TLSHOP_USER, TLSHOP_PASSWORD in the environment)
import * as fs from "node:fs";
import * as https from "node:https";
import type { components, operations } from "./api";

type LoginRequest = components["schemas"]["LoginRequest"];
type LoginReply = components["schemas"]["LoginReply"];
type Categories = operations["categories"]["responses"][200]["content"]["application/json"];
type ItemsPage = components["schemas"]["ItemsPage"];
type OrderRequest = operations["buy"]["requestBody"]["content"]["application/json"];
type OrderLine = components["schemas"]["OrderLine"];
type Receipt = components["schemas"]["Receipt"];
type ApiError = components["schemas"]["Error"];

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const [host, port] = env("TLSHOP_SERVER").split(":");
const tls = {
  ca: fs.readFileSync(env("TLSHOP_CA")),
  cert: fs.readFileSync(env("TLSHOP_CERT")),
  key: fs.readFileSync(env("TLSHOP_KEY")),
};

function call<Reply>(method: string, path: string, body?: object,
                     headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = https.request({ host, port: Number(port), method, path, ...tls, headers: {
      ...headers, ...(body ? { "Content-Type": "application/json" } : {}) } }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        if (status >= 300) {
          const error = JSON.parse(text) as ApiError;
          reject(new Error(`${status} ${error.error.code}: ${error.error.message}`));
        } else {
          resolve((text ? JSON.parse(text) : undefined) as Reply);
        }
      });
    });
    request.on("error", reject);
    if (body) request.write(JSON.stringify(body));
    request.end();
  });
}

async function main(): Promise<void> {
  const credentials: LoginRequest = { name: env("TLSHOP_USER"), password: env("TLSHOP_PASSWORD") };
  const login = await call<LoginReply>("POST", "/v1/sessions", credentials);
  const auth = { Authorization: `Bearer ${login.token}` };
  const { categories } = await call<Categories>("GET", "/v1/categories");
  const category = categories?.[0] ?? "";
  const page = await call<ItemsPage>("GET", `/v1/items?category=${encodeURIComponent(category)}`);
  const item = page.items[0];
  const order: OrderRequest = { sku: item.sku, quantity: 2 };
  const line = await call<OrderLine>("POST", "/v1/orders", order,
                                     { ...auth, "Idempotency-Key": "generated-client-1" });
  const receipt = await call<Receipt>("GET", "/v1/receipt", undefined, auth);
  console.log(`category ${category}: ${page.items.length} items`);
  console.log(`bought ${line.quantity} of ${line.sku} for ${line.line_total}`);
  console.log(`receipt total ${receipt.total} ${receipt.currency}`);
}

main().catch((error: Error) => {
  console.error(`shop_client: ${error.message}`);
  process.exit(1);
});
