"""libtlshop as another project gets it: installed with `cmake --install`, then found with
find_package(tlshop) and with pkg-config, by programs that run against a real server."""

import os
import shutil
import subprocess
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import SANITIZED
from shop_test import ShopTestCase

PUBLIC_HEADERS = sorted([
    "tlshop/api/hello.hpp", "tlshop/api/messages.hpp", "tlshop/api/shop_messages.hpp",
    "tlshop/async_client.hpp", "tlshop/client.hpp", "tlshop/client_error.hpp",
    "tlshop/connection_settings.hpp", "tlshop/error.hpp", "tlshop/request.hpp",
    "tlshop/result.hpp"])

CONSUMER_PROJECT = """cmake_minimum_required(VERSION 3.25)
project(consumer CXX)
find_package(tlshop 0.1 REQUIRED)
add_executable(async_shop ${EXAMPLES}/async_shop.cpp)
target_link_libraries(async_shop PRIVATE tlshop::tlshop)
"""


@unittest.skipIf(SANITIZED, "programs linking a sanitized libtlshop need the sanitizers too")
class InstalledLibrary(ShopTestCase):
    @classmethod
    def setUpClass(cls):
        # One installation for the class's tests, which only read it.
        installed = Path(tempfile.mkdtemp(prefix="tlshop-install-"))
        cls.addClassCleanup(shutil.rmtree, installed, ignore_errors=True)
        cls.root = installed / "usr"
        subprocess.run(["cmake", "--install", os.environ["TLSHOP_BUILD_DIR"], "--prefix", cls.root],
                       check=True, capture_output=True)
        cls.examples = cls.root / "share" / "doc" / "tlshop" / "examples"

    def setUp(self):
        super().setUp()
        self.client_files = [self.ca / "root.crt", self.dir / "alice.crt", self.dir / "alice.key"]

    def test_only_the_public_headers_are_installed_and_each_compiles_alone(self):
        include = self.root / "include"
        installed = sorted(str(p.relative_to(include)) for p in include.rglob("*") if p.is_file())
        self.assertEqual(installed, PUBLIC_HEADERS)
        def compile_alone(header):
            return header, subprocess.run(
                ["c++", "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-I",
                 include, "-x", "c++", "-"], input=f"#include <{header}>\n", capture_output=True,
                text=True)

        with ThreadPoolExecutor(max_workers=2) as pool:
            for header, result in pool.map(compile_alone, PUBLIC_HEADERS):
                self.assertEqual(result.returncode, 0, f"{header}: {result.stderr}")
        for path in ("bin/tlshop", "lib/libtlshop.a", "lib/cmake/tlshop/tlshopConfig.cmake",
                     "lib/pkgconfig/tlshop.pc", "share/doc/tlshop/client-library.md"):
            self.assertTrue((self.root / path).is_file(), path)

    def test_a_program_built_with_pkg_config_talks_to_the_server(self):
        env = dict(os.environ, PKG_CONFIG_PATH=str(self.root / "lib" / "pkgconfig"))
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "tlshop"], env=env,
                               capture_output=True, text=True, check=True).stdout.split()
        self.run_tool(["c++", "-o", "hello_client", self.examples / "hello_client.cpp", *flags])
        result = self.run_tool(["./hello_client", f"localhost:{self.server.port}", *self.client_files])
        self.assertEqual(result.stdout.splitlines()[0], "Hello CN=alice, this is tlshop. (TLSv1.3)")

    def test_a_cmake_project_finds_the_library_and_runs_its_asynchronous_client(self):
        self.tlshop("admin", "--data-dir", self.dir / "data", "item", "add", "A1", "--name", "boots",
                    "--category", "Async", "--stock", "10", "--price", "2500")
        project = self.dir / "consumer"
        project.mkdir()
        (project / "CMakeLists.txt").write_text(CONSUMER_PROJECT)
        self.run_tool(["cmake", "-S", project, "-B", project / "build", "-G", "Ninja",
                       f"-DCMAKE_PREFIX_PATH={self.root}", f"-DEXAMPLES={self.examples}"])
        self.run_tool(["cmake", "--build", project / "build"])
        result = self.run_tool([project / "build" / "async_shop", f"localhost:{self.server.port}",
                                *self.client_files])
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "Hello CN=alice, this is tlshop. (TLSv1.3)")
        self.assertIn("Async: 1 item", lines)
        categories = self.run_cli("categories").stdout.splitlines()
        self.assertEqual(len(lines), 1 + len(categories), lines)


if __name__ == "__main__":
    unittest.main()
