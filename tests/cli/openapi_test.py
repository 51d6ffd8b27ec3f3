"""docs/openapi.yaml as third-party tools read it: a standard OpenAPI 3.1 validator
accepts it, and a real server's replies have the shapes, statuses and headers it
documents for every operation."""

import http.client
import json
import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path

from shop_test import PASSWORD, ShopTestCase

try:
    import yaml
    from openapi_schema_validator import OAS31Validator
    from openapi_spec_validator import validate as validate_openapi
    TOOLS = True
except ImportError:
    TOOLS = False

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
NEEDS_TOOLS = unittest.skipUnless(
    TOOLS, "needs Python's openapi-spec-validator, openapi-schema-validator and PyYAML")


def load_document():
    return yaml.safe_load(DOCUMENT.read_text())


@NEEDS_TOOLS
class OpenApiDocument(unittest.TestCase):
    def test_a_standard_validator_accepts_it_as_openapi_3_1(self):
        document = load_document()
        self.assertEqual(document["openapi"], "3.1.0")
        validate_openapi(document)  # raises with every problem it finds
        self.assertEqual(document["components"]["securitySchemes"]["clientCertificate"]["type"],
                         "mutualTLS")


@NEEDS_TOOLS
class ApiContract(ShopTestCase):
    """Runs every documented operation against a real server and checks each reply
    against the document: its status is listed, its body has the listed shape, and the
    listed headers are there."""

    def setUp(self):
        super().setUp()
        self.document = load_document()
        self.add_user("root", role="admin")
        self.covered = set()

    def operation(self, method, path):
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path.split("?")[0]) and method.lower() in item:
                return template, item[method.lower()]
        self.fail(f"{method} {path} is not in the document")

    def reference(self, ref):
        node = self.document
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def call(self, method, path, body=None, token=None, headers=None):
        connection = http.client.HTTPSConnection("localhost", self.server.port,
                                                 context=self.client_context("alice"), timeout=30)
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if body is not None:
            sent["Content-Type"] = "application/json"
            body = json.dumps(body)
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        self.check(method, path, response, text)
        return response.status, (json.loads(text) if text and response.getheader(
            "Content-Type", "").startswith("application/json") else text)

    def check(self, method, path, response, text):
        template, operation = self.operation(method, path)
        responses = operation["responses"]
        documented = responses.get(str(response.status)) or responses.get("default")
        where = f"{method} {path} -> {response.status}"
        self.assertIsNotNone(documented, f"{where}: status not documented")
        if "$ref" in documented:
            documented = self.reference(documented["$ref"])
        for name, header in documented.get("headers", {}).items():
            self.assertIsNotNone(response.getheader(name), f"{where}: no {name} header")
        content = documented.get("content", {})
        if not content:
            self.assertEqual(text, "", f"{where}: a body the document does not list")
            self.covered.add((method, template, response.status))
            return
        media = response.getheader("Content-Type", "").split(";")[0]
        self.assertIn(media, content, f"{where}: {media} not documented")
        schema = dict(content[media]["schema"], components=self.document["components"])
        value = json.loads(text) if media == "application/json" else text
        errors = [e.message for e in OAS31Validator(schema).iter_errors(value)]
        self.assertEqual(errors, [], f"{where}: {text[:300]}")
        self.covered.add((method, template, response.status))

    def test_every_operation_replies_as_documented(self):
        call = self.call
        call("GET", "/v1/hello")
        call("GET", "/healthz")
        call("POST", "/v1/messages", None, headers={"Content-Type": "text/plain"})
        self.call_with_text("POST", "/v1/messages", "<ping/>", "application/xml")
        call("GET", "/v1/messages?since=0&limit=10")
        call("GET", "/v1/categories")
        status, page = call("GET", "/v1/items?category=Shoes&limit=2")
        self.assertEqual(status, 200)
        call("GET", f"/v1/items?category=Shoes&limit=2&cursor={page['next_cursor']}")
        call("GET", "/v1/items/401")
        self.assertEqual(call("GET", "/v1/items/nosuch")[0], 404)
        self.assertEqual(call("GET", "/v1/items?q=%zz")[0], 400)
        self.assertEqual(call("POST", "/v1/sessions", {"name": "alice", "password": "wrong"})[0], 401)
        _, login = call("POST", "/v1/sessions", {"name": "alice", "password": PASSWORD})
        token = login["token"]
        self.assertEqual(call("GET", "/v1/receipt")[0], 401)
        call("GET", "/v1/receipt", token=token)
        key = {"Idempotency-Key": "contract-1"}
        self.assertEqual(call("POST", "/v1/orders", {"sku": "401", "quantity": 2}, token, key)[0], 201)
        self.assertEqual(call("POST", "/v1/orders", {"sku": "401", "quantity": 10**6}, token,
                              {"Idempotency-Key": "contract-2"})[0], 400)
        self.assertEqual(call("POST", "/v1/orders", {"sku": "nosuch", "quantity": 1}, token,
                              {"Idempotency-Key": "contract-3"})[0], 404)
        call("GET", "/v1/receipt", token=token)
        call("POST", "/v1/receipt/close", token=token)
        self.assertEqual(call("POST", "/v1/receipt/close", token=token)[0], 409)
        call("GET", "/v1/receipts", token=token)
        call("DELETE", "/v1/sessions/current", token=token)

        _, admin = call("POST", "/v1/sessions", {"name": "root", "password": PASSWORD})
        root = admin["token"]
        call("GET", "/metrics", token=root)
        item = {"sku": "C1", "name": "contract", "category": "Contract", "stock": 3, "unit_price": 100}
        self.assertEqual(call("POST", "/v1/admin/items", item, root)[0], 201)
        self.assertEqual(call("POST", "/v1/admin/items", item, root)[0], 409)
        call("PATCH", "/v1/admin/items/C1", {"unit_price": 120, "add_stock": 2}, root)
        user = {"name": "bob", "password": "another long password", "role": "customer"}
        self.assertEqual(call("POST", "/v1/admin/users", user, root)[0], 201)
        self.assertEqual(call("PUT", "/v1/admin/users/bob/password",
                              {"password": "a third long password"}, root)[0], 204)
        self.assertEqual(call("POST", "/v1/admin/users", user, token)[0], 401)

        operations = {(method.upper(), template) for template, item in self.document["paths"].items()
                      for method in item if method in ("get", "post", "put", "patch", "delete")}
        answered = {(method, template) for method, template, status in self.covered if status < 300}
        self.assertEqual(operations - answered, set(), "operations never answered with success")

    def call_with_text(self, method, path, text, content_type):
        connection = http.client.HTTPSConnection("localhost", self.server.port,
                                                 context=self.client_context("alice"), timeout=30)
        connection.request(method, path, body=text, headers={"Content-Type": content_type})
        response = connection.getresponse()
        self.check(method, path, response, response.read().decode())
        connection.close()


# The npm packages of the generated-client test, at the versions it was written for.
NPM_TOOLS = ["@apidevtools/swagger-cli@4.0.4", "openapi-typescript@7.13.0", "typescript@5.9.3",
             "@types/node@20.19.43"]
GENERATED_CLIENT = Path(__file__).resolve().parent / "generated_client"


def npm_tools():
    """The folder with NPM_TOOLS installed (once per build tree), or None where npm or its
    registry cannot be reached."""
    if not shutil.which("npm"):
        return None
    folder = Path(os.environ.get("TLSHOP_BUILD_DIR", ".")).resolve() / "npm-tools"
    stamp = folder / "installed.json"
    if stamp.exists() and json.loads(stamp.read_text()) == NPM_TOOLS:
        return folder
    folder.mkdir(exist_ok=True)
    try:
        # Where the registry cannot be reached, fail soon rather than retry for minutes.
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--fetch-retries=1",
                                 "--fetch-timeout=15000", "--prefix", folder, *NPM_TOOLS],
                                capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return None
    if result.returncode != 0:
        return None
    stamp.write_text(json.dumps(NPM_TOOLS))
    return folder


class GeneratedTypeScriptClient(ShopTestCase):
    """The client third parties would make: types generated from the document by npm's
    openapi-typescript, a program checked against them by tsc and run by Node over its
    https module with a client certificate, after swagger-cli has validated the file."""

    def setUp(self):
        self.tools = npm_tools()
        if self.tools is None:
            self.skipTest("needs npm and its registry (swagger-cli, openapi-typescript, tsc)")
        super().setUp()

    def tool(self, name, *args):
        return self.run_tool([self.tools / "node_modules" / ".bin" / name, *args])

    def test_swagger_cli_validates_it_and_a_generated_client_shops(self):
        self.assertIn("is valid", self.tool("swagger-cli", "validate", DOCUMENT).stdout)
        build = self.dir / "client"
        shutil.copytree(GENERATED_CLIENT, build)
        self.tool("openapi-typescript", DOCUMENT, "-o", build / "api.d.ts")
        self.tool("tsc", "-p", build / "tsconfig.json", "--typeRoots",
                  self.tools / "node_modules" / "@types")
        connection = self.connection()
        _, listed, _ = self.call(connection, "GET", "/v1/categories")
        _, page, _ = self.call(connection, "GET", "/v1/items?category=" +
                               listed["categories"][0].replace(" ", "+"))
        first = page["items"][0]
        env = dict(os.environ, TLSHOP_SERVER=f"localhost:{self.server.port}",
                   TLSHOP_CA=str(self.ca / "root.crt"), TLSHOP_CERT=str(self.dir / "alice.crt"),
                   TLSHOP_KEY=str(self.dir / "alice.key"), TLSHOP_USER="alice",
                   TLSHOP_PASSWORD=PASSWORD)
        result = subprocess.run(["node", build / "shop_client.js"], env=env, capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertRegex(lines[0], r"^category \S.*: \d+ items$")
        self.assertEqual(lines[1], f"bought 2 of {first['sku']} for {2 * first['unit_price']}")
        self.assertEqual(lines[2], f"receipt total {2 * first['unit_price']} INR")
        self.assertEqual(self.stock(first["sku"]), first["stock"] - 2)


if __name__ == "__main__":
    unittest.main()
