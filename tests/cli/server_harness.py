"""Runs a real `tlshop serve` for a test: a CA, certificates, the server on a free port."""

import json
import os
import re
import select
import signal
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from pathlib import Path

from postgres_harness import new_database, psql
from harness import TLSHOP, CliTestCase

MAKE_TEST_CERTIFICATE = os.environ.get("MAKE_TEST_CERTIFICATE", "make_test_certificate")


def closed_within(sock, seconds):
    """True if the peer closes sock (EOF or reset) within the time."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
        return True
    except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def wait_until(condition, timeout=10, what="the condition"):
    """Polls until condition() is true; fails the test at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class ServerProcess:
    def __init__(self, test, workdir, args, env=None, stderr_as_journal=False, data_dir="data"):
        """stderr_as_journal: stderr is a file that $JOURNAL_STREAM names, as when systemd
        connects a service's stderr to the journal. data_dir: its --data-dir, in workdir."""
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / data_dir
        self._stderr_file = None
        if stderr_as_journal:
            self._stderr_file = open(self.workdir / "server.stderr", "w+")
            status = os.fstat(self._stderr_file.fileno())
            env = dict(env or os.environ, JOURNAL_STREAM=f"{status.st_dev}:{status.st_ino}")
        self.process = subprocess.Popen(
            [TLSHOP, "serve", *[str(a) for a in args]], cwd=workdir, env=env,
            stdout=subprocess.PIPE, stderr=self._stderr_file or subprocess.PIPE, text=True)
        test.addCleanup(self.kill)
        # The server's stderr is read all along: a pipe nobody reads would block a server
        # that writes more than it holds (64 KiB).
        self._stderr_lines = []
        self._stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_reader.start()
        self.port = self._read_port()

    def _drain_stderr(self):
        for line in self.process.stderr or ():
            self._stderr_lines.append(line)

    def stderr_text(self):
        """What the server has written to stderr so far (all of it once it has exited)."""
        if self._stderr_file:
            return (self.workdir / "server.stderr").read_text()
        if self.process.poll() is not None:
            self._stderr_reader.join(timeout=10)
        return "".join(self._stderr_lines)

    def _read_port(self):
        """The TCP port from the server's "listening on" lines, and the UDP (DTLS) one
        (None with --no-udp). The lines are read from the descriptor itself: a buffered
        reader would keep the ones after the first where select cannot see them."""
        deadline = time.monotonic() + 20
        out = self.process.stdout.fileno()
        text = ""
        while time.monotonic() < deadline and "listening on tcp://" not in text:
            if select.select([out], [], [], 0.5)[0]:
                chunk = os.read(out, 4096)
                if not chunk:
                    break
                text += chunk.decode()
        if "listening on tcp://" in text:
            # The UDP lines follow in the same write; allow for a split one.
            while "\n" not in text.split("listening on tcp://")[-1] and \
                    select.select([out], [], [], 0.5)[0]:
                text += os.read(out, 4096).decode()
            ports = {}
            for line in text.splitlines():
                for kind in ("tcp", "udp"):
                    if line.startswith(f"listening on {kind}://"):
                        ports.setdefault(kind, int(line.rsplit(":", 1)[1]))
            self.udp_port = ports.get("udp")
            return ports["tcp"]
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        raise AssertionError(f"server did not start: {self.stderr_text()}")

    def audit(self):
        path = self.data_dir / "audit.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line]

    def wait_for_audit(self, predicate, timeout=10):
        wait_until(lambda: any(predicate(e) for e in self.audit()), timeout, "an audit event")
        return [e for e in self.audit() if predicate(e)]

    def refusals(self):
        return [e["reason"] for e in self.audit() if e.get("event") == "handshake_refused"]

    def signal(self, sig):
        self.process.send_signal(sig)

    def stop(self, timeout=15):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._stderr_reader.join(timeout=10)
        self.process.stdout.close()
        if self.process.stderr:
            self.process.stderr.close()
        if self._stderr_file:
            self._stderr_file.close()


def restore_environment(name, value):
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


class ServerTestCase(CliTestCase):
    """A CA with a server certificate for localhost/127.0.0.1 and a client alice."""

    server_args = ()
    store = None  # "postgresql" for a class whose servers always share a database

    def setUp(self):
        super().setUp()
        self.store_url = None
        if (self.store or os.environ.get("TLSHOP_TEST_STORE")) == "postgresql":
            # The shop in PostgreSQL: every `tlshop serve` and `tlshop admin` of the test
            # finds its database in TLSHOP_STORE, as an operator's environment would say it.
            self.store_url = self.new_store_database()
            previous = os.environ.get("TLSHOP_STORE")
            os.environ["TLSHOP_STORE"] = self.store_url
            self.addCleanup(restore_environment, "TLSHOP_STORE", previous)
        self.ca = self.make_ca()
        self.issue(self.ca, "server", "localhost", "--san", "IP:127.0.0.1")
        self.issue(self.ca, "client", "alice")
        self.server = self.start_server(*self.server_args)

    def new_store_database(self):
        """The PostgreSQL database the test's servers share (a class may make its own)."""
        return new_database(self)

    def pin_of(self, name):
        inspected = json.loads(self.tlshop("ca", "inspect", f"{name}.crt", "--json").stdout)
        return inspected["certificates"][0]["public_key_pin"]

    def start_server(self, *extra, env=None, crl=None, ca=None, stderr_as_journal=False,
                     data_dir="data"):
        # alice reads /metrics, as a monitoring client would.
        if not hasattr(self, "alice_pin"):
            self.alice_pin = self.pin_of("alice")
        return ServerProcess(self, self.dir, [
            "--metrics-pin", self.alice_pin,
            "--listen", "127.0.0.1:0", "--cert", "localhost.crt", "--key", "localhost.key",
            "--ca", ca or self.ca / "ca-chain.crt", "--crl", crl or self.ca / "crl.pem", "--data-dir", data_dir,
            "--threads", "2", *extra], env=env, stderr_as_journal=stderr_as_journal,
            data_dir=data_dir)

    @property
    def url(self):
        return f"https://localhost:{self.server.port}"

    def odd_certificate(self, name, kind):
        subprocess.run([MAKE_TEST_CERTIFICATE, self.ca, self.dir, name, kind], check=True)
        return self.dir / f"{name}.crt", self.dir / f"{name}.key"

    def client_context(self, name="alice"):
        context = ssl.create_default_context(cafile=str(self.ca / "root.crt"))
        if name:
            context.load_cert_chain(self.dir / f"{name}.crt", self.dir / f"{name}.key")
        return context

    def tls_connect(self, name="alice"):
        raw = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        return self.client_context(name).wrap_socket(raw, server_hostname="localhost")

    def curl(self, *args, expect=0):
        return self.run_tool(["curl", "-sS", "--max-time", "20", "--cacert", self.ca / "root.crt",
                              *args], expect=expect)

    def curl_as(self, name, *args, expect=0):
        return self.curl("--cert", self.dir / f"{name}.crt", "--key", self.dir / f"{name}.key",
                         *args, expect=expect)

    def accepted_handshakes(self):
        """The server's own count of handshakes it accepted, read from /metrics (over a
        connection of its own, which the count includes)."""
        metrics = self.curl_as("alice", f"{self.url}/metrics").stdout
        return sum(int(value) for value in re.findall(
            r'^tlshop_handshakes_total\{outcome="accepted",resumed="(?:true|false)"\} (\d+)$',
            metrics, re.M))

    def query(self, sql):
        """Rows of SQL run on the shop's database, SQLite's or PostgreSQL's, read-only."""
        if self.store_url:
            return [tuple(row) for row in psql(self.store_url, sql)]
        with sqlite3.connect(f"file:{self.dir / 'data' / 'shop.db'}?mode=ro", uri=True) as database:
            return [tuple(str(value) for value in row) for row in database.execute(sql)]

    def skip_unless_sqlite(self, why):
        if self.store_url:
            self.skipTest(f"the SQLite store only: {why}")

    def metric(self, series):
        """The value of one series of the server's /metrics, e.g. 'tlshop_connections{phase="idle"}'
        (read over a connection of its own, which an 'active' count includes)."""
        metrics = self.curl_as("alice", f"{self.url}/metrics").stdout
        found = re.search(r"^" + re.escape(series) + r" (\S+)$", metrics, re.M)
        if not found:
            raise AssertionError(f"no series {series} in /metrics")
        return float(found.group(1))

    def wait_for_metric(self, series, predicate, timeout=10):
        wait_until(lambda: predicate(self.metric(series)), timeout, series)

    def hello(self, *extra, expect=0):
        return self.tlshop("hello", "--server", f"localhost:{self.server.port}",
                           "--ca", self.ca / "root.crt", *extra, expect=expect)

    def hello_as(self, name, *extra, expect=0):
        return self.hello("--cert", self.dir / f"{name}.crt", "--key", self.dir / f"{name}.key",
                          *extra, expect=expect)
