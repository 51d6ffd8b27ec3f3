"""The shop over real mTLS connections: races, crashes, retries, lockouts, bad input, the menu."""

import hashlib
import http.client
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import threading
import time
import unittest
from pathlib import Path

from harness import TLSHOP
from server_harness import ServerTestCase, wait_until

PASSWORD = "correct horse battery"


class ShopTestCase(ServerTestCase):
    def setUp(self):
        super().setUp()
        (self.dir / "pw").write_text(PASSWORD + "\n")
        self.add_user("alice")
        self.env = dict(os.environ, TLSHOP_SERVER=f"localhost:{self.server.port}",
                        TLSHOP_CA=str(self.ca / "root.crt"), TLSHOP_CERT=str(self.dir / "alice.crt"),
                        TLSHOP_KEY=str(self.dir / "alice.key"),
                        TLSHOP_SESSION_FILE=str(self.dir / "sessions.json"))

    def add_user(self, name, role="customer"):
        self.tlshop("admin", "--data-dir", self.dir / "data", "user", "add", name, "--role", role,
                    "--password-file", self.dir / "pw")

    def connection(self, cert="alice"):
        return http.client.HTTPSConnection("localhost", self.server.port,
                                           context=self.client_context(cert), timeout=30)

    def call(self, connection, method, path, body=None, token=None, key=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read()
        return response.status, (json.loads(text) if text else None), response

    def login(self, connection, name="alice", password=PASSWORD):
        status, body, _ = self.call(connection, "POST", "/v1/sessions", {"name": name, "password": password})
        self.assertEqual(status, 201, body)
        return body["token"]

    def stock(self, sku):
        connection = self.connection()
        _, body, _ = self.call(connection, "GET", f"/v1/items/{sku}")
        connection.close()
        return body["stock"]

    def run_cli(self, *args, expect=0):
        result = subprocess.run([TLSHOP, *args], cwd=self.dir, env=self.env, capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, expect, f"{args}: {result.stdout} {result.stderr}")
        return result


class Purchases(ShopTestCase):
    def test_32_clients_racing_for_the_same_item_never_oversell(self):
        self.tlshop("admin", "--data-dir", self.dir / "data", "item", "add", "900", "--name", "gadget",
                    "--category", "Race", "--stock", "20", "--price", "999")
        # Each worker only records what it got; every check runs here, on the test's thread,
        # where a failed assertion fails the test.
        outcomes = []
        failures = []
        lock = threading.Lock()

        def client(index):
            try:
                connection = self.connection()
                token = self.login(connection)
                for attempt in range(3):
                    status, body, _ = self.call(connection, "POST", "/v1/orders",
                                                {"sku": "900", "quantity": 1}, token,
                                                key=f"c{index}-{attempt}")
                    code = body.get("error", {}).get("code") if status != 201 else None
                    with lock:
                        outcomes.append((status, code))
                connection.close()
            except Exception as error:  # noqa: BLE001 - reported on the test's thread
                with lock:
                    failures.append(f"client {index}: {error!r}")

        threads = [threading.Thread(target=client, args=(i,)) for i in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])
        self.assertEqual(len(outcomes), 32 * 3)
        self.assertEqual(outcomes.count((201, None)), 20)
        self.assertEqual(outcomes.count((409, "insufficient_stock")), 32 * 3 - 20, outcomes)
        self.assertEqual(self.stock("900"), 0)
        connection = self.connection()
        token = self.login(connection)
        _, receipt, _ = self.call(connection, "GET", "/v1/receipt", token=token)
        self.assertEqual(sum(l["quantity"] for l in receipt["lines"] if l["sku"] == "900"), 20)
        self.assertEqual(receipt["total"], 20 * 999)

    def test_a_retry_with_the_same_key_returns_the_first_reply_and_changes_nothing(self):
        connection = self.connection()
        token = self.login(connection)
        first = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 2}, token, key="k-1")
        again = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 2}, token, key="k-1")
        self.assertEqual((first[0], first[1]), (201, again[1]))
        self.assertEqual(again[0], 201)
        self.assertEqual(self.stock("301"), 60)
        other = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 3}, token, key="k-1")
        self.assertEqual((other[0], other[1]["error"]["code"]), (409, "idempotency_key_reused"))
        self.assertEqual(self.stock("301"), 60)

    def test_catalog_pages_show_every_purchase_at_once(self):
        connection = self.connection()
        token = self.login(connection)

        def listed_stock():
            _, body, _ = self.call(connection, "GET", "/v1/items?category=Clothes")
            return {item["sku"]: item["stock"] for item in body["items"]}["301"]

        self.assertEqual(listed_stock(), 62)
        self.assertEqual(listed_stock(), 62)  # the second read is served from the kept page
        self.assertEqual(self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 2},
                                   token, key="page-1")[0], 201)
        self.assertEqual(listed_stock(), 60)

    def test_bad_orders_get_clear_errors_and_change_nothing(self):
        connection = self.connection()
        token = self.login(connection)
        cases = [
            ({"sku": "301", "quantity": 0}, 400, "invalid_quantity"),
            ({"sku": "301", "quantity": -1}, 400, "invalid_quantity"),
            ({"sku": "301", "quantity": 1.5}, 400, "invalid_request"),
            ({"sku": "301", "quantity": "2"}, 400, "invalid_request"),
            ({"sku": "301", "quantity": 10**30}, 400, "invalid_request"),
            ({"sku": "301", "quantity": 2**62}, 400, "invalid_quantity"),
            ({"sku": "301"}, 400, "invalid_request"),
            ({"quantity": 1}, 400, "invalid_request"),
            ({"sku": "nope", "quantity": 1}, 404, "unknown_item"),
            ({"sku": "301", "quantity": 63}, 409, "insufficient_stock"),
            ("{not json", 400, "invalid_request"),
            ("[" * 100 + "]" * 100, 400, "invalid_request"),
        ]
        for index, (body, status, code) in enumerate(cases):
            got = self.call(connection, "POST", "/v1/orders", body, token, key=f"bad-{index}")
            self.assertEqual((got[0], got[1]["error"]["code"]), (status, code), body)
        missing_key = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 1}, token)
        self.assertEqual((missing_key[0], missing_key[1]["error"]["code"]), (400, "missing_idempotency_key"))
        no_token = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 1}, key="x")
        self.assertEqual(no_token[0], 401)
        self.assertIn("Bearer", no_token[2].getheader("WWW-Authenticate"))
        self.assertEqual(self.stock("301"), 62)
        _, receipt, _ = self.call(connection, "GET", "/v1/receipt", token=token)
        self.assertEqual(receipt["lines"], [])

    def test_the_last_unit_can_be_bought_and_receipts_close(self):
        connection = self.connection()
        token = self.login(connection)
        status, line, _ = self.call(connection, "POST", "/v1/orders", {"sku": "101", "quantity": 1}, token, key="p")
        self.assertEqual((status, line["line_total"]), (201, 100000))
        self.assertEqual(self.stock("101"), 0)
        status, closed, _ = self.call(connection, "POST", "/v1/receipt/close", token=token)
        self.assertEqual((status, closed["total"], closed["currency"]), (200, 100000, "INR"))
        self.assertIsNotNone(closed["closed_at"])
        status, body, _ = self.call(connection, "POST", "/v1/receipt/close", token=token)
        self.assertEqual((status, body["error"]["code"]), (409, "empty_receipt"))
        _, history, _ = self.call(connection, "GET", "/v1/receipts", token=token)
        self.assertEqual([r["total"] for r in history["receipts"]], [100000])


class Sessions(ShopTestCase):
    def setUp(self):
        super().setUp()
        # Failures answered after a second each, not 1, 2, 4... s, to keep the test short.
        self.server.stop()
        (self.dir / "logins.toml").write_text("[logins]\nmax_delay_seconds = 1\n")
        self.server = self.start_server("--config", self.dir / "logins.toml")

    def test_thirty_parallel_wrong_logins_get_exactly_five_guesses_checked(self):
        self.issue(self.ca, "client", "mallory")
        statuses = []
        lock = threading.Lock()

        def guess():
            connection = self.connection("mallory")
            status, _, _ = self.call(connection, "POST", "/v1/sessions",
                                     {"name": "alice", "password": "wrong guess"})
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=guess) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(statuses), [401] * 5 + [429] * 25)

    def test_another_certificates_failures_never_lock_the_owner_out(self):
        self.issue(self.ca, "client", "mallory")
        mallory = self.connection("mallory")
        for _ in range(5):
            self.assertEqual(self.call(mallory, "POST", "/v1/sessions",
                                       {"name": "alice", "password": "wrong guess"})[0], 401)
        self.assertEqual(self.call(mallory, "POST", "/v1/sessions",
                                   {"name": "alice", "password": PASSWORD})[0], 429)
        self.login(self.connection("alice"))  # 201, over the owner's own certificate

    def test_repeated_failures_lock_the_name_out(self):
        connection = self.connection()
        for _ in range(5):
            status, body, _ = self.call(connection, "POST", "/v1/sessions", {"name": "alice", "password": "wrong guess"})
            self.assertEqual((status, body["error"]["code"]), (401, "unauthenticated"))
        status, body, response = self.call(connection, "POST", "/v1/sessions", {"name": "alice", "password": PASSWORD})
        self.assertEqual((status, body["error"]["code"]), (429, "locked_out"))
        self.assertGreater(int(response.getheader("Retry-After")), 800)
        events = [e["event"] for e in self.server.audit() if e.get("name") == "alice"]
        self.assertEqual(events.count("login_failed"), 5)
        self.assertIn("login_locked_out", events)
        self.assertNotIn("wrong guess", (self.dir / "data" / "audit.log").read_text())

    def test_tokens_are_kept_only_as_their_sha256_and_never_logged(self):
        connection = self.connection()
        token = self.login(connection)
        self.assertEqual(self.call(connection, "GET", "/v1/receipt", token=token)[0], 200)
        connection.close()
        data = self.dir / "data"
        stored = [row[0] for row in self.query("SELECT token_hash FROM sessions")]
        self.assertIn(hashlib.sha256(token.encode()).hexdigest(), stored)
        for path in data.iterdir():  # the database, its journal, the logs
            self.assertNotIn(token.encode(), path.read_bytes(), path.name)

    def test_passwords_are_kept_as_argon2id_at_the_documented_cost(self):
        ((stored,),) = self.query("SELECT password_hash FROM users WHERE name = 'alice'")
        # docs/security.md: 64 MiB (65536 KiB), 2 passes; salted, never the password.
        self.assertRegex(stored, r"^\$argon2id\$v=19\$m=65536,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")
        self.assertNotIn(PASSWORD, stored)

    def test_failed_logins_are_slowed(self):
        connection = self.connection()
        started = time.monotonic()
        self.call(connection, "POST", "/v1/sessions", {"name": "alice", "password": "nope nope"})
        self.assertGreaterEqual(time.monotonic() - started, 0.9)

    def test_a_token_replayed_over_another_client_certificate_is_refused(self):
        self.issue(self.ca, "client", "mallory")
        alice = self.connection("alice")
        token = self.login(alice)
        self.assertEqual(self.call(alice, "GET", "/v1/receipt", token=token)[0], 200)
        mallory = self.connection("mallory")
        status, body, _ = self.call(mallory, "GET", "/v1/receipt", token=token)
        self.assertEqual(status, 401)
        self.assertIn("another client certificate", body["error"]["message"])

    def test_a_user_logging_in_past_its_share_of_sessions_ends_its_oldest(self):
        self.server.stop()
        (self.dir / "share.toml").write_text("[logins]\nmax_sessions_per_user = 3\n")
        self.server = self.start_server("--config", self.dir / "share.toml")
        tokens = [self.login(self.connection()) for _ in range(5)]
        connection = self.connection()
        statuses = [self.call(connection, "GET", "/v1/receipt", token=token)[0] for token in tokens]
        self.assertEqual(statuses, [401, 401, 200, 200, 200])

    def test_logout_ends_the_session(self):
        connection = self.connection()
        token = self.login(connection)
        self.assertEqual(self.call(connection, "DELETE", "/v1/sessions/current", token=token)[0], 204)
        self.assertEqual(self.call(connection, "GET", "/v1/receipt", token=token)[0], 401)

    def test_only_administrators_use_the_admin_api(self):
        self.add_user("root", role="admin")
        connection = self.connection()
        customer = self.login(connection)
        item = {"sku": "700", "name": "lamp", "category": "Lights", "stock": 3, "unit_price": 1200}
        status, body, _ = self.call(connection, "POST", "/v1/admin/items", item, customer)
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"))
        admin = self.login(connection, "root")
        self.assertEqual(self.call(connection, "POST", "/v1/admin/items", item, admin)[0], 201)
        status, changed, _ = self.call(connection, "PATCH", "/v1/admin/items/700",
                                       {"unit_price": 1500, "add_stock": 2}, admin)
        self.assertEqual((status, changed["unit_price"], changed["stock"]), (200, 1500, 5))
        status, _, _ = self.call(connection, "POST", "/v1/admin/users",
                                 {"name": "carol", "password": "another good one"}, admin)
        self.assertEqual(status, 201)
        status, body, _ = self.call(connection, "POST", "/v1/admin/users",
                                    {"name": "dave", "password": "password"}, admin)
        self.assertEqual((status, body["error"]["code"]), (400, "weak_password"))


class PurchaseDurability(ShopTestCase):
    def test_kill_9_under_purchase_load_loses_no_acknowledged_order(self):
        connection = self.connection()
        start = {}
        for sku in ("301", "302", "303", "304"):
            start[sku] = self.stock(sku)
        acknowledged = []
        refused = []  # anything but 201 or running out of stock
        lock = threading.Lock()
        stop = threading.Event()
        killed = threading.Event()

        def buyer(index):
            try:
                conn = self.connection()
                token = self.login(conn)
                n = 0
                while not stop.is_set():
                    sku = ("301", "302", "303", "304")[n % 4]
                    status, body, _ = self.call(conn, "POST", "/v1/orders", {"sku": sku, "quantity": 1},
                                                token, key=f"b{index}-{n}")
                    n += 1
                    with lock:
                        if status == 201:
                            acknowledged.append(body["id"])
                        elif (status, body.get("error", {}).get("code")) != (409, "insufficient_stock"):
                            refused.append((status, body))
            except (OSError, http.client.HTTPException) as error:
                if not killed.is_set():  # only the kill may break a connection
                    with lock:
                        refused.append(("connection broken before the kill", repr(error)))

        threads = [threading.Thread(target=buyer, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 50 and time.monotonic() < deadline:
            time.sleep(0.01)
        killed.set()
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait()
        stop.set()
        for thread in threads:
            thread.join()
        self.assertEqual(refused, [])
        self.assertGreaterEqual(len(acknowledged), 50)
        self.server = self.start_server()
        connection = self.connection()
        token = self.login(connection)
        _, receipt, _ = self.call(connection, "GET", "/v1/receipt", token=token)
        stored = {line["id"]: line for line in receipt["lines"]}
        missing = [i for i in acknowledged if i not in stored]
        self.assertEqual(missing, [])
        for sku, initial in start.items():
            sold = sum(l["quantity"] for l in receipt["lines"] if l["sku"] == sku)
            self.assertEqual(self.stock(sku) + sold, initial, sku)


def attach_strace(pid, output):
    """Traces every thread of a running process: syscalls that flush and those that move
    bytes through sockets, with the file or address behind each descriptor."""
    if not shutil.which("strace"):
        raise unittest.SkipTest("strace is not installed (scripts/install-deps.sh installs it)")
    tracer = subprocess.Popen(
        ["strace", "-f", "-qq", "-yy", "-o", str(output), "-p", str(pid), "-e",
         "trace=fsync,fdatasync,read,recvfrom,recvmsg,readv,write,writev,sendto,sendmsg"],
        stderr=subprocess.PIPE, text=True)

    def all_threads_traced():
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return all("TracerPid:\t0\n" not in (task / "status").read_text() for task in tasks)

    wait_until(lambda: tracer.poll() is not None or all_threads_traced(), what="strace to attach")
    if tracer.poll() is not None:
        raise unittest.SkipTest(f"strace cannot trace here: {tracer.stderr.read().strip()}")
    return tracer


SYSCALL = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*?)(?:<unfinished \.\.\.>|= (-?\d+).*)$")


def exchanges_on(trace, client_port):
    """Splits one connection's traffic, as the server saw it, into exchanges (bytes read,
    then bytes written) and says of each whether the shop's database was flushed after
    its last read and before its first write: before the reply could leave."""
    connection = f"127.0.0.1:{client_port}]"
    pending = {}  # pid -> (syscall, arguments) of a call not finished yet
    exchanges = []  # [read anything, flushed, wrote anything]
    for line in trace.splitlines():
        found = SYSCALL.match(line)
        if not found:
            continue
        pid, resumed, started, arguments, result = found.groups()
        name = resumed or started
        if resumed:
            arguments = pending.pop(pid, (name, ""))[1] + arguments
        if result is None:  # unfinished: a write counts from its start
            pending[pid] = (name, arguments)
            if name.startswith(("write", "send")) and connection in arguments and exchanges:
                exchanges[-1][2] = True
            continue
        if name in ("fsync", "fdatasync"):
            if int(result) == 0 and "/shop.db" in arguments and exchanges and not exchanges[-1][2]:
                exchanges[-1][1] = True
        elif connection in arguments and int(result) > 0:
            if name.startswith(("read", "recv")):
                if not exchanges or exchanges[-1][2]:
                    exchanges.append([True, False, False])
            elif exchanges:
                exchanges[-1][2] = True
    return [(flushed, wrote) for _, flushed, wrote in exchanges]


class SecretsOnDisk(ShopTestCase):
    def setUp(self):
        super().setUp()
        self.skip_unless_sqlite("the shop's file and its journal are in the data directory")
        self.server.stop()
        shutil.rmtree(self.dir / "data")
        previous = os.umask(0)  # the most permissive umask there is
        try:
            self.server = self.start_server()
            self.add_user("alice")
        finally:
            os.umask(previous)

    def test_the_data_directory_is_0700_and_its_files_0600_whatever_the_umask(self):
        connection = self.connection()
        token = self.login(connection)
        self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 1}, token, key="k1")
        data = self.dir / "data"
        self.assertEqual(data.stat().st_mode & 0o777, 0o700)
        files = sorted(path.name for path in data.iterdir())
        self.assertTrue({"shop.db", "shop.db-wal", "audit.log", "access.log"} <= set(files), files)
        for path in data.iterdir():
            self.assertEqual(path.stat().st_mode & 0o777, 0o600, path.name)


class FlushBeforeAcknowledgement(ShopTestCase):
    """kill -9 cannot tell a flushed commit from one in the page cache; a power cut can.
    The server's own system calls show that each order was on disk before its 201 left."""

    ORDERS = 8

    def test_each_order_is_flushed_to_disk_before_it_is_acknowledged(self):
        self.skip_unless_sqlite("PostgreSQL flushes its own log before it answers a commit")
        connection = self.connection()
        token = self.login(connection)
        trace = self.dir / "strace.txt"
        tracer = attach_strace(self.server.process.pid, trace)
        try:
            for n in range(self.ORDERS):
                status, body, _ = self.call(connection, "POST", "/v1/orders", {"sku": "301", "quantity": 1},
                                            token, key=f"flush-{n}")
                self.assertEqual(status, 201, body)
            # strace records a write when the call returns, which can be after its bytes
            # reached us: one more exchange makes sure the last order's write is recorded.
            status, _, _ = self.call(connection, "GET", "/v1/receipt", token=token)
            self.assertEqual(status, 200)
            client_port = connection.sock.getsockname()[1]
        finally:
            tracer.send_signal(signal.SIGINT)  # detaches; the server runs on
            tracer.wait(timeout=30)
        exchanges = exchanges_on(trace.read_text(), client_port)
        self.assertGreater(len(exchanges), self.ORDERS, "the trace misses exchanges")
        orders = exchanges[:self.ORDERS]
        self.assertEqual([wrote for _, wrote in orders], [True] * self.ORDERS)
        self.assertEqual([flushed for flushed, _ in orders], [True] * self.ORDERS,
                         "an order was acknowledged before the database was flushed")


class CommandLine(ShopTestCase):
    def test_login_browse_buy_receipt_logout(self):
        self.run_cli("login", "--user", "alice", "--password-file", "pw")
        self.assertEqual((self.dir / "sessions.json").stat().st_mode & 0o777, 0o600)
        categories = json.loads(self.run_cli("categories", "--json").stdout)["categories"]
        self.assertEqual(len(categories), 5)
        shoes = json.loads(self.run_cli("items", "--category", "Shoes", "--json").stdout)["items"]
        self.assertEqual([i["sku"] for i in shoes], ["401", "402", "403", "404", "405"])
        self.assertIn("sneakers", self.run_cli("items", "--category", "Shoes").stdout)
        bought = self.run_cli("buy", "401", "2").stdout
        self.assertIn("bought 2 x sneakers for 70.00 INR", bought)
        refused = self.run_cli("buy", "101", "2", expect=7)
        self.assertIn("only 1 of 101 in stock", refused.stderr)
        receipt = json.loads(self.run_cli("receipt", "--json").stdout)
        self.assertEqual(receipt["total"], 7000)
        self.assertIn("TOTAL", self.run_cli("receipt", "--close").stdout)
        self.assertEqual(len(json.loads(self.run_cli("receipts", "--json").stdout)["receipts"]), 1)
        self.run_cli("logout")
        self.assertIn("run `tlshop login` first", self.run_cli("receipt", expect=1).stderr)


class InteractiveMenu(ShopTestCase):
    def setUp(self):
        super().setUp()
        # Wrong passwords are part of the menu's story; their growing delay is not.
        self.server.stop()
        (self.dir / "menu.toml").write_text("[logins]\nmax_delay_seconds = 1\n")
        self.server = self.start_server("--config", self.dir / "menu.toml")
        self.env["TLSHOP_SERVER"] = f"localhost:{self.server.port}"

    def menu_over_pipe(self, lines, expect=0, env=None):
        result = subprocess.run([TLSHOP, "shop"], cwd=self.dir, env=env or self.env,
                                input="".join(line + "\n" for line in lines), capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, expect, f"{result.stdout}\n{result.stderr}")
        return result.stdout

    def all_skus(self):
        return [item["sku"] for item in json.loads(self.run_cli("items", "--json").stdout)["items"]]

    def test_the_menu_through_a_pseudo_terminal_without_echoing_the_password(self):
        main, secondary = pty.openpty()
        process = subprocess.Popen([TLSHOP, "shop"], cwd=self.dir, env=self.env, stdin=secondary,
                                   stdout=secondary, stderr=secondary, close_fds=True)
        os.close(secondary)
        screen = b""
        everything = []

        def expect(text, timeout=20):
            nonlocal screen
            deadline = time.monotonic() + timeout
            while text.encode() not in screen:
                ready, _, _ = select.select([main], [], [], max(0, deadline - time.monotonic()))
                if not ready:
                    self.fail(f"waited for {text!r}; screen: {screen.decode(errors='replace')}")
                try:
                    chunk = os.read(main, 4096)
                except OSError:  # Linux: EIO once the program has closed the terminal
                    chunk = b""
                if not chunk:
                    self.fail(f"the program ended before printing {text!r}; screen: "
                              f"{screen.decode(errors='replace')}")
                screen += chunk
                everything.append(chunk)
            found = screen.index(text.encode()) + len(text)
            screen = screen[found:]  # each expectation reads on from the last

        def send(line):
            os.write(main, (line + "\n").encode())

        expect("User: ")
        send("alice")
        expect("Password: ")
        send(PASSWORD)
        expect("Hello, alice.")
        expect("Choice: ")
        send("1")
        expect("Category number, or s to search: ")
        send("4")
        expect("crockery")
        expect("Item number to buy, or Enter to go back: ")
        os.write(main, b"\x04")  # Ctrl-D: back to the menu, not out of the program
        expect("Choice: ")
        send("2")
        expect("SKU, or number in the last list: ")
        send("501")
        expect("in stock.")
        expect("Quantity (1 to ")
        send("3")
        expect("Bought 3 x crockery at 25.00 INR: 75.00 INR. Receipt total 75.00 INR.")
        send("3")
        expect("75.00 INR")
        expect("Enter to go back: ")
        send("")
        send("4")
        expect("Goodbye.")
        process.wait(timeout=20)
        os.close(main)
        self.assertEqual(process.returncode, 0)
        self.assertNotIn(PASSWORD.encode(), b"".join(everything))

    def test_a_wrong_password_is_asked_again_and_items_are_picked_by_number_across_pages(self):
        skus = self.all_skus()
        self.assertGreater(len(skus), 20)
        before = self.stock(skus[11])
        out = self.menu_over_pipe(["alice", "not the password", PASSWORD,
                                   "1", "s", "", "n", "12", "2",  # all items; page 2; the 12th
                                   "2", "nosuch",                  # an unknown SKU, before quantity
                                   "2", "401", "0",                # a quantity out of range
                                   "3", "c", "3", "h", "4"])
        self.assertIn("Wrong user name or password; try again.", out)
        self.assertIn("Hello, alice.", out)
        self.assertIn("(page 1 of 3; n next, p previous)", out)
        self.assertIn("(page 2 of 3; n next, p previous)", out)
        self.assertEqual(self.stock(skus[11]), before - 2)
        self.assertRegex(out, r"Bought 2 x .* Receipt total ")
        self.assertIn("No item with SKU nosuch.", out)
        self.assertNotIn("Quantity", out.split("No item with SKU nosuch.")[0].rsplit("Choice:", 1)[1])
        self.assertIn("The quantity must be a whole number from 1 to", out)
        self.assertIn("Closed; the next purchase opens a new receipt.", out)
        self.assertIn("(closed ", out.split("h for past receipts")[-1])
        self.assertTrue(out.endswith("Goodbye.\n"), out[-200:])
        self.assertNotIn(PASSWORD, out)

    def test_the_end_of_input_ends_the_session_and_three_wrong_passwords_end_the_program(self):
        out = self.menu_over_pipe(["alice", PASSWORD, "1"])  # input ends at a question
        self.assertTrue(out.endswith("Goodbye.\n"), out[-200:])
        result = subprocess.run([TLSHOP, "shop"], cwd=self.dir, env=self.env, text=True,
                                input="alice\nx1\nx2\nx3\n", capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(result.stdout.count("try again"), 2)

    def test_a_saved_session_and_tlshop_user_are_used(self):
        self.run_cli("login", "--user", "alice", "--password-file", "pw")
        out = self.menu_over_pipe(["3", "", "4"])
        self.assertIn("Hello, alice.", out)
        self.assertNotIn("User: ", out)
        self.assertNotIn("Password: ", out)
        self.run_cli("receipt")  # the saved session was kept
        self.run_cli("logout")
        out = self.menu_over_pipe([PASSWORD, "4"], env=dict(self.env, TLSHOP_USER="alice"))
        self.assertNotIn("User: ", out)
        self.assertIn("Hello, alice.", out)


if __name__ == "__main__":
    unittest.main()
