"""The Debian package and the service: what scripts/package.sh builds, what installing it
makes, the unit systemd is given, and the server telling systemd what it is doing."""

import grp
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from harness import SANITIZED, CliTestCase
from server_harness import ServerTestCase, closed_within, wait_until

ROOT = Path(__file__).resolve().parents[2]
UNIT = "/lib/systemd/system/tlshop.service"


def build_package(directory):
    """Builds the package from this build tree with debian/rules, as scripts/package.sh
    does, in a copy of debian/ so that the source tree is left as it was."""
    shutil.rmtree(directory, ignore_errors=True)
    source = directory / "source"
    shutil.copytree(ROOT / "debian", source / "debian")
    out = directory / "package"
    result = subprocess.run(["debian/rules", "binary", f"BUILD_DIR={os.environ['TLSHOP_BUILD_DIR']}",
                             f"PACKAGE_DIR={out}"], cwd=source, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"debian/rules binary failed: {result.stdout}{result.stderr}")
    return built_package(directory)


def built_package(directory):
    """The package build_package made in directory (the cli.PackageBuild fixture's)."""
    packages = list((Path(directory) / "package").glob("tlshop_*.deb"))
    if len(packages) != 1:
        raise AssertionError(f"expected one package in {directory}, found {packages}")
    return packages[0]


def package_for_tests():
    """The package cli.PackageBuild made for this run, or None where it is not made."""
    directory = os.environ.get("TLSHOP_TEST_PACKAGE_DIR")
    return built_package(directory) if directory else None


@unittest.skipIf(SANITIZED, "the package is made of the release build")
class DebianPackage(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.package = package_for_tests()
        if cls.package is None:
            cls.package_dir = Path(tempfile.mkdtemp(prefix="tlshop-package-"))
            cls.addClassCleanup(shutil.rmtree, cls.package_dir, ignore_errors=True)
            cls.package = build_package(cls.package_dir)

    def test_the_package_holds_the_program_library_service_and_configuration(self):
        listing = self.run_tool(["dpkg-deb", "--contents", self.package]).stdout
        entries = {line.split()[-1].lstrip("."): line.split()[0] for line in listing.splitlines()}
        for path, mode in [("/usr/bin/tlshop", "-rwxr-xr-x"), ("/etc/tlshop/tlshop.toml", "-rw-r--r--"),
                           (UNIT, "-rw-r--r--"), ("/usr/lib/sysusers.d/tlshop.conf", "-rw-r--r--"),
                           ("/usr/lib/tmpfiles.d/tlshop.conf", "-rw-r--r--"),
                           ("/usr/lib/libtlshop.a", "-rw-r--r--"),
                           ("/usr/include/tlshop/async_client.hpp", "-rw-r--r--"),
                           ("/usr/lib/cmake/tlshop/tlshopConfig.cmake", "-rw-r--r--"),
                           ("/usr/lib/pkgconfig/tlshop.pc", "-rw-r--r--"),
                           ("/usr/share/doc/tlshop/copyright", "-rw-r--r--"),
                           ("/usr/share/man/man1/tlshop.1.gz", "-rw-r--r--"),
                           ("/usr/share/man/man1/tlshop-serve.1.gz", "-rw-r--r--"),
                           ("/usr/share/man/man5/tlshop.toml.5.gz", "-rw-r--r--"),
                           ("/usr/share/bash-completion/completions/tlshop", "-rw-r--r--"),
                           ("/usr/share/zsh/vendor-completions/_tlshop", "-rw-r--r--")]:
            self.assertEqual(entries.get(path), mode, path)
        self.assertTrue(all(owner == "root/root" for owner in
                            (line.split()[1] for line in listing.splitlines())))
        info = self.run_tool(["dpkg-deb", "--info", self.package]).stdout
        self.assertIn("libssl3", info)
        control = self.dir / "control"
        self.run_tool(["dpkg-deb", "--control", self.package, control])
        self.assertEqual((control / "conffiles").read_text().split(), ["/etc/tlshop/tlshop.toml"])

    def test_the_configuration_is_the_default_one_with_the_services_paths(self):
        extracted = self.dir / "extracted"
        self.run_tool(["dpkg-deb", "--extract", self.package, extracted])
        config = (extracted / "etc/tlshop/tlshop.toml").read_text()
        for line in ('data_dir = "/var/lib/tlshop"', 'certificate = "/etc/tlshop/server.crt"',
                     'key = "/etc/tlshop/server.key"', 'client_ca = "/etc/tlshop/ca-chain.crt"',
                     'crl = "/etc/tlshop/crl.pem"', 'listen = ["0.0.0.0:5555"]'):
            self.assertIn(f"\n{line}\n", config)
        defaults = self.tlshop("serve", "--print-default-config").stdout
        changed = [line for line in config.splitlines()
                   if line not in defaults.splitlines() and not line.startswith("#")]
        self.assertEqual(len(changed), 6, changed)

    def test_the_desktop_client_is_a_package_of_its_own(self):
        gui = self.package.with_name(self.package.name.replace("tlshop_", "tlshop-gui_"))
        listing = self.run_tool(["dpkg-deb", "--contents", gui]).stdout
        files = {line.split()[-1].lstrip(".") for line in listing.splitlines()
                 if not line.startswith("d")}
        self.assertEqual(files, {"/usr/bin/tlshop-gui", "/usr/share/man/man1/tlshop-gui.1.gz",
                                 "/usr/share/applications/tlshop-gui.desktop",
                                 "/usr/share/doc/tlshop-gui/copyright",
                                 "/usr/share/doc/tlshop-gui/changelog.gz"})
        self.assertIn("libqt6widgets6", self.run_tool(["dpkg-deb", "--info", gui]).stdout)
        self.assertNotIn("qt6", self.run_tool(["dpkg-deb", "--info", self.package]).stdout)
        self.assertNotIn("tlshop-gui", self.run_tool(["dpkg-deb", "--contents", self.package]).stdout)

    def test_lintian_finds_no_error(self):
        gui = self.package.with_name(self.package.name.replace("tlshop_", "tlshop-gui_"))
        result = self.run_tool(["lintian", "--fail-on", "error", self.package, gui], expect=None)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNotIn("E: ", result.stdout)


class NotifySocket:
    """A socket standing in for systemd's: what a Type=notify service sends to it."""

    def __init__(self, test, directory):
        self.path = str(directory / "notify.sock")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.path)
        test.addCleanup(self.socket.close)

    def next(self, timeout=15):
        self.socket.settimeout(timeout)
        return dict(line.split("=", 1) for line in self.socket.recv(4096).decode().splitlines())


class ServiceNotifications(ServerTestCase):
    """What systemd's Type=notify, ExecReload (SIGHUP) and stop (SIGTERM) rely on."""

    def setUp(self):
        super().setUp()
        self.notify = NotifySocket(self, self.dir)
        self.server.kill()
        self.server = self.start_server(env=dict(os.environ, NOTIFY_SOCKET=self.notify.path))

    def test_ready_once_listening_reloading_on_sighup_and_stopping_on_sigterm(self):
        ready = self.notify.next()
        self.assertEqual(ready["READY"], "1")
        self.assertEqual(ready["STATUS"], f"listening on tcp://127.0.0.1:{self.server.port} "
                                          f"udp://127.0.0.1:{self.server.udp_port}")
        self.hello_as("alice")

        self.server.signal(signal.SIGHUP)
        reloading = self.notify.next()
        self.assertEqual(reloading["RELOADING"], "1")
        self.assertGreater(int(reloading["MONOTONIC_USEC"]), 0)
        self.assertEqual(self.notify.next()["READY"], "1")
        self.hello_as("alice")

        self.server.signal(signal.SIGTERM)
        stopping = self.notify.next()
        self.assertEqual(stopping["STOPPING"], "1")
        self.assertEqual(self.server.process.wait(timeout=15), 0)


JOURNALD = "/lib/systemd/systemd-journald"
JOURNAL_SOCKET = "/run/systemd/journal/socket"


def journal_is_listening():
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as probe:
            probe.connect(JOURNAL_SOCKET)
        return True
    except OSError:
        return False


@unittest.skipUnless(journal_is_listening() or (os.geteuid() == 0 and os.path.exists(JOURNALD)),
                     "needs systemd's journal, or root to start systemd-journald")
class JournalLogs(ServerTestCase):
    """Started by systemd (its stderr the journal), the server writes its audit log to
    the journal, with fields to select it by; the access log stays a file."""

    def setUp(self):
        if not journal_is_listening():
            journald = subprocess.Popen([JOURNALD], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
            self.addCleanup(lambda: (journald.terminate(), journald.wait()))
            wait_until(journal_is_listening, what="systemd-journald")
        super().setUp()
        self.server.kill()
        shutil.rmtree(self.dir / "data")
        self.server = self.start_server(stderr_as_journal=True)

    def journal(self, *matches):
        self.run_tool(["journalctl", "--sync"], expect=None)
        out = self.run_tool(["journalctl", "--no-pager", "-o", "json",
                             f"_PID={self.server.process.pid}", *matches]).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def test_audit_events_go_to_the_journal_and_requests_to_the_access_log(self):
        self.hello_as("alice")
        with self.tls_connect(name=None) as anonymous:  # no client certificate: refused
            self.assertTrue(closed_within(anonymous, 10))
        self.assertEqual(self.server.stop(), 0)
        wait_until(lambda: any(e.get("TLSHOP_EVENT") == "server_stopped"
                               for e in self.journal("TLSHOP_LOG=audit")), what="the last event")
        entries = self.journal("TLSHOP_LOG=audit")
        events = [entry["TLSHOP_EVENT"] for entry in entries]
        for event in ("server_started", "handshake_refused", "shutdown_started", "server_stopped"):
            self.assertIn(event, events)
        refused = next(e for e in entries if e["TLSHOP_EVENT"] == "handshake_refused")
        self.assertEqual(json.loads(refused["MESSAGE"])["reason"], "no_certificate")
        self.assertEqual(refused["SYSLOG_IDENTIFIER"], "tlshop")
        self.assertFalse((self.dir / "data" / "audit.log").exists())
        access = (self.dir / "data" / "access.log").read_text().splitlines()
        self.assertEqual(json.loads(access[0])["target"], "/v1/hello")


@unittest.skipIf(SANITIZED, "the package is made of the release build")
@unittest.skipUnless(os.geteuid() == 0 and shutil.which("dpkg"), "installing a package needs root")
class InstalledService(CliTestCase):
    """Installs the package with dpkg, as an operator would, runs the server as the unit
    does, and removes the package again."""

    def setUp(self):
        super().setUp()
        if subprocess.run(["dpkg", "-s", "tlshop"], capture_output=True).returncode == 0:
            self.skipTest("a tlshop package is installed on this machine; not replacing it")
        package = package_for_tests() or build_package(self.dir / "package-build")
        self.addCleanup(subprocess.run, ["dpkg", "--purge", "tlshop"], capture_output=True)
        self.run_tool(["dpkg", "--install", package])

    def test_install_makes_the_user_directories_and_a_unit_that_serves(self):
        user = pwd.getpwnam("tlshop")
        self.assertEqual(grp.getgrgid(user.pw_gid).gr_name, "tlshop")
        self.assertEqual(user.pw_shell, "/usr/sbin/nologin")
        data = os.stat("/var/lib/tlshop")
        self.assertEqual((stat.S_IMODE(data.st_mode), data.st_uid, data.st_gid),
                         (0o750, user.pw_uid, user.pw_gid))
        self.assertTrue(Path("/etc/tlshop/tlshop.toml").is_file())

        verify = self.run_tool(["systemd-analyze", "verify", UNIT], expect=None)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        security = self.run_tool(["systemd-analyze", "security", "--offline=true", UNIT]).stdout
        exposure = float(security.split("Overall exposure level for tlshop.service: ")[1].split()[0])
        self.assertLessEqual(exposure, 1.2, security)

        self.put_certificates_in_place(user)
        unit = Path(UNIT).read_text()
        self.assertIn("\nUser=tlshop\n", unit)
        exec_start = unit.split("\nExecStart=")[1].split("\n")[0].split()
        notify = NotifySocket(self, self.dir)
        os.chmod(self.dir, 0o755)
        os.chmod(notify.path, 0o777)
        server = subprocess.Popen(["setpriv", "--reuid=tlshop", "--regid=tlshop", "--clear-groups",
                                   *exec_start], env=dict(os.environ, NOTIFY_SOCKET=notify.path),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: server.poll() is None and (server.kill(), server.wait()))
        try:
            self.assertEqual(notify.next()["READY"], "1")
        except socket.timeout:
            server.kill()
            self.fail(f"the server did not say it was ready: {server.communicate()[1]}")
        self.tlshop("hello", "--server", "localhost:5555", "--ca", self.ca / "root.crt",
                    "--cert", self.dir / "alice.crt", "--key", self.dir / "alice.key")
        server.send_signal(signal.SIGTERM)
        self.assertEqual(server.wait(timeout=15), 0)
        owners = {path.owner() for path in Path("/var/lib/tlshop").iterdir()}
        self.assertEqual(owners, {"tlshop"})

    def put_certificates_in_place(self, user):
        self.ca = self.make_ca()
        self.issue(self.ca, "server", "localhost", "--san", "IP:127.0.0.1")
        self.issue(self.ca, "client", "alice")
        for source, target in [(self.dir / "localhost.crt", "server.crt"),
                               (self.dir / "localhost.key", "server.key"),
                               (self.ca / "ca-chain.crt", "ca-chain.crt"),
                               (self.ca / "crl.pem", "crl.pem")]:
            destination = Path("/etc/tlshop") / target
            shutil.copyfile(source, destination)
            os.chown(destination, 0, user.pw_gid)
            os.chmod(destination, 0o640)
            self.addCleanup(destination.unlink)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-package"]:
        if not SANITIZED:
            build_package(Path(sys.argv[2]))
    else:
        unittest.main()
