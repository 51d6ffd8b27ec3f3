"""Several tlshop servers on one PostgreSQL database, as behind a TCP load balancer:
whichever server a client reaches, purchases never oversell, an order retried elsewhere
is applied once, tokens, lockouts and password resets hold everywhere, and a TLS session
resumes on another server that has the shared ticket keys."""

import http.client
import os
import socket
import subprocess
import threading
import time

from harness import TLSHOP
from postgres_harness import PrivateCluster, new_database, psql
from server_harness import wait_until
from shop_test import PASSWORD, ShopTestCase

SKUS = ("301", "302", "303", "304")


class SeveralServers(ShopTestCase):
    store = "postgresql"

    def setUp(self):
        super().setUp()
        self.keys = self.dir / "ticket.keys"
        self.tlshop("admin", "rotate-ticket-keys", self.keys)
        # The first server, restarted with the keys, and two more with data of their own.
        self.server.stop()
        self.servers = [self.start_server("--config", self.config(), data_dir=f"data-{n}")
                        for n in range(3)]
        self.server = self.servers[0]

    def config(self):
        path = self.dir / "shared.toml"
        # Failed logins are slowed by at most a second here: five of them take 5 s, not 31.
        path.write_text(f'[tls]\nticket_keys = "{self.keys}"\n[logins]\nmax_delay_seconds = 1\n')
        return path

    def on(self, server, cert="alice"):
        return http.client.HTTPSConnection("localhost", server.port,
                                           context=self.client_context(cert), timeout=30)

    def test_40_clients_over_three_servers_buy_the_last_units_exactly_once(self):
        self.tlshop("admin", "item", "add", "900", "--name", "gadget", "--category", "Race",
                    "--stock", "25", "--price", "999")
        outcomes, lock = [], threading.Lock()

        def buyer(index):
            connection = self.on(self.servers[index % 3])
            token = self.login(connection)
            status, body, _ = self.call(connection, "POST", "/v1/orders",
                                        {"sku": "900", "quantity": 1}, token, key=f"race-{index}")
            with lock:
                outcomes.append((status, body.get("error", {}).get("code")))

        threads = [threading.Thread(target=buyer, args=(i,)) for i in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(set(outcomes)), [(201, None), (409, "insufficient_stock")])
        self.assertEqual(outcomes.count((201, None)), 25)
        for server in self.servers:
            _, item, _ = self.call(self.on(server), "GET", "/v1/items/900")
            self.assertEqual(item["stock"], 0)

    def test_an_order_retried_on_another_server_is_applied_once(self):
        stock = self.stock("301")
        first, second = self.on(self.servers[0]), self.on(self.servers[1])
        token = self.login(first)
        order = {"sku": "301", "quantity": 2}
        status, bought, _ = self.call(first, "POST", "/v1/orders", order, token, key="once")
        self.assertEqual(status, 201, bought)
        status, again, _ = self.call(second, "POST", "/v1/orders", order, token, key="once")
        self.assertEqual((status, again["id"]), (201, bought["id"]))
        self.assertEqual(self.stock("301"), stock - 2)

    def test_a_token_works_everywhere_and_a_password_reset_ends_it_everywhere(self):
        token = self.login(self.on(self.servers[0]))
        for server in self.servers:
            self.assertEqual(self.call(self.on(server), "GET", "/v1/receipt", token=token)[0], 200)
        # Bound to the client certificate on every server, as on one.
        self.issue(self.ca, "client", "mallory")
        refused = self.call(self.on(self.servers[2], "mallory"), "GET", "/v1/receipt", token=token)
        self.assertEqual(refused[0], 401)
        (self.dir / "new-pw").write_text("another long password\n")
        self.tlshop("admin", "user", "reset-password", "alice", "--password-file", "new-pw")
        for server in self.servers:
            self.assertEqual(self.call(self.on(server), "GET", "/v1/receipt", token=token)[0], 401)

    def test_failed_logins_are_counted_whichever_server_they_reach(self):
        for n in range(5):
            status, _, _ = self.call(self.on(self.servers[n % 3]), "POST", "/v1/sessions",
                                     {"name": "alice", "password": "wrong guess"})
            self.assertEqual(status, 401)
        for server in self.servers:
            status, body, _ = self.call(self.on(server), "POST", "/v1/sessions",
                                        {"name": "alice", "password": PASSWORD})
            self.assertEqual((status, body["error"]["code"]), (429, "locked_out"))

    def test_a_tls_session_from_one_server_resumes_on_another(self):
        context = self.client_context()
        session = None
        for server in self.servers:
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost",
                                         session=session) as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
                                b"Connection: close\r\n\r\n")
                    while tls.recv(65536):
                        pass
                    self.assertEqual(tls.session_reused, session is not None, server.port)
                    session = tls.session  # a new ticket, for the next server


class DatabaseOutage(ShopTestCase):
    """A server killed with -9 and PostgreSQL restarted, under purchase load, lose no
    acknowledged order; while the database is down, requests get 503 with Retry-After
    and change nothing, and the same requests succeed once it is back."""

    store = "postgresql"

    def new_store_database(self):
        self.cluster = PrivateCluster(self)  # this test stops and starts it
        return new_database(self, self.cluster.state)

    def on(self, server):
        return http.client.HTTPSConnection("localhost", server.port,
                                           context=self.client_context(), timeout=30)

    def test_kill_9_of_a_server_and_a_database_restart_lose_no_acknowledged_order(self):
        servers = [self.server, self.start_server(data_dir="data-b")]
        start = {sku: self.stock(sku) for sku in SKUS}
        token = self.login(self.connection())
        acknowledged, problems, lock = [], [], threading.Lock()
        stop = threading.Event()

        def buy_until_answered(index, n):
            """One order, sent again (same key, either server) until it is answered."""
            order = {"sku": SKUS[n % 4], "quantity": 1}
            for attempt in range(1000):
                if stop.is_set():
                    return
                try:
                    status, body, _ = self.call(self.on(servers[(index + attempt) % 2]), "POST",
                                                "/v1/orders", order, token, key=f"b{index}-{n}")
                except (OSError, http.client.HTTPException):
                    status, body = None, None  # the killed server, or one mid-restart
                if status == 201:
                    with lock:
                        acknowledged.append(body["id"])
                    return
                if status not in (None, 503):
                    with lock:
                        problems.append((status, body))
                    return
                time.sleep(0.05)

        def buyer(index):
            n = 0
            while not stop.is_set():
                buy_until_answered(index, n)
                n += 1

        def wait_for(more):
            goal = len(acknowledged) + more
            wait_until(lambda: len(acknowledged) >= goal or problems, timeout=60,
                       what=f"{more} more acknowledged orders")

        threads = [threading.Thread(target=buyer, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        try:
            wait_for(30)
            servers[0].process.kill()  # kill -9
            servers[0].process.wait()
            wait_for(30)
            self.cluster.stop()
            time.sleep(0.5)
            self.cluster.start()
            wait_for(30)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        self.assertEqual(problems, [])
        connection = self.on(servers[1])
        _, receipt, _ = self.call(connection, "GET", "/v1/receipt", token=token)
        stored = {line["id"] for line in receipt["lines"]}
        self.assertEqual([order for order in acknowledged if order not in stored], [])
        for sku, initial in start.items():
            sold = sum(line["quantity"] for line in receipt["lines"] if line["sku"] == sku)
            _, item, _ = self.call(connection, "GET", f"/v1/items/{sku}")
            self.assertEqual(item["stock"] + sold, initial, sku)

    def test_while_the_database_is_down_requests_get_503_and_change_nothing(self):
        token = self.login(self.connection())
        stock = self.stock("301")
        self.cluster.stop()
        order = {"sku": "301", "quantity": 1}
        status, body, response = self.call(self.connection(), "POST", "/v1/orders", order, token,
                                           key="during")
        self.assertEqual((status, body["error"]["code"]), (503, "store_unavailable"), body)
        self.assertGreaterEqual(int(response.getheader("Retry-After")), 1)
        self.assertEqual(self.call(self.connection(), "GET", "/v1/items/301")[0], 503)
        self.cluster.start()
        wait_until(lambda: self.call(self.connection(), "GET", "/v1/items/301")[0] == 200,
                   timeout=20, what="the shop to come back with its database")
        self.assertEqual(self.stock("301"), stock)
        status, body, _ = self.call(self.connection(), "POST", "/v1/orders", order, token,
                                    key="during")
        self.assertEqual(status, 201, body)
        self.assertEqual(self.stock("301"), stock - 1)


class AdministrationOnPostgres(ShopTestCase):
    """tlshop admin against PostgreSQL: a SQLite shop moved over whole, schemas checked,
    and a password in the URL never shown."""

    store = "postgresql"

    def sqlite_environment(self):
        return {name: value for name, value in os.environ.items() if name != "TLSHOP_STORE"}

    def test_a_sqlite_shop_moves_whole_into_an_empty_database(self):
        self.server.stop()
        sqlite = self.start_server(data_dir="sqlite-shop", env=self.sqlite_environment())
        subprocess.run([TLSHOP, "admin", "--data-dir", "sqlite-shop", "user", "add", "bob",
                        "--password-file", "pw"], cwd=self.dir, env=self.sqlite_environment(),
                       check=True, capture_output=True)
        self.server = sqlite
        connection = self.connection()
        token = self.login(connection, "bob")
        _, bought, _ = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 3},
                                 token, key="before-the-move")
        self.call(connection, "POST", "/v1/messages", "<ping/>", token)
        stock = self.stock("301")
        sqlite.stop()

        target = new_database(self)
        moved = self.tlshop("admin", "--store", target, "import-sqlite",
                            self.dir / "sqlite-shop" / "shop.db").stdout
        self.assertIn("order_lines: 1", moved)
        self.assertIn("users: 1", moved)
        os.environ["TLSHOP_STORE"] = target  # restored by the harness
        self.server = self.start_server(data_dir="after-the-move")
        connection = self.connection()
        token = self.login(connection, "bob")  # the same password hash
        _, receipt, _ = self.call(connection, "GET", "/v1/receipt", token=token)
        self.assertEqual([line["id"] for line in receipt["lines"]], [bought["id"]])
        self.assertEqual(self.stock("301"), stock)
        # The key came too: the retry of the order before the move is not a new one.
        status, again, _ = self.call(connection, "POST", "/v1/orders",
                                     {"sku": "301", "quantity": 3}, token, key="before-the-move")
        self.assertEqual((status, again["id"]), (201, bought["id"]))
        # New rows are numbered after the moved ones.
        _, next_order, _ = self.call(connection, "POST", "/v1/orders",
                                     {"sku": "302", "quantity": 1}, token, key="after")
        self.assertGreater(next_order["id"], bought["id"])
        refused = self.tlshop("admin", "--store", target, "import-sqlite",
                              self.dir / "sqlite-shop" / "shop.db", expect=1)
        self.assertIn("is not empty", refused.stderr)

    def test_a_database_from_a_newer_tlshop_is_refused(self):
        self.server.stop()
        psql(self.store_url, "UPDATE tlshop_schema SET version = 99")
        refused = self.tlshop("admin", "migrate", expect=1)
        self.assertIn("schema version 99, newer than this tlshop knows", refused.stderr)
        serve = subprocess.run([TLSHOP, "serve", "--listen", "127.0.0.1:0", "--cert",
                                "localhost.crt", "--key", "localhost.key", "--ca",
                                self.ca / "ca-chain.crt"], cwd=self.dir, capture_output=True,
                               text=True, timeout=60)
        self.assertNotEqual(serve.returncode, 0)
        self.assertIn("newer than this tlshop knows", serve.stderr)

    def test_the_audit_log_names_the_store_without_its_password(self):
        self.server.stop()
        # The test cluster trusts local connections: any password is taken, and must hide.
        os.environ["TLSHOP_STORE"] = self.store_url.replace("postgres@", "postgres:s3cret@", 1)
        self.server = self.start_server(data_dir="with-password")
        started = self.server.wait_for_audit(lambda e: e.get("event") == "server_started")
        self.assertEqual(started[0]["store"],
                         self.store_url.replace("postgres@", "postgres:***@", 1))
        self.login(self.connection())
        for path in (self.dir / "with-password").iterdir():
            self.assertNotIn(b"s3cret", path.read_bytes(), path.name)
        self.assertNotIn("s3cret", self.server.stderr_text())

    def test_a_password_in_the_url_is_never_shown(self):
        refused = self.tlshop("admin", "--store", "postgresql://shop:s3cret@/shop?host=/nonexistent",
                              "migrate", expect=1)
        self.assertIn("postgresql://shop:***@", refused.stderr)
        self.assertNotIn("s3cret", refused.stderr + refused.stdout)
        wrong = self.tlshop("admin", "--store", "mysql://shop@db/shop", "migrate", expect=1)
        self.assertIn("must be a postgresql:// URL", wrong.stderr)
