"""libtlshop's asynchronous client against a real server: the C++ tests of
tests/client/async_client_test.cpp, run here because they need the server this starts."""

import os
import subprocess
import unittest

from shop_test import PASSWORD, ShopTestCase


class AsyncLibrary(ShopTestCase):
    def test_callbacks_futures_and_coroutines_against_a_real_server(self):
        self.tlshop("admin", "--data-dir", self.dir / "data", "item", "add", "A1", "--name", "boots",
                    "--category", "Async", "--stock", "10", "--price", "2500")
        env = dict(os.environ, TLSHOP_TEST_SERVER=f"localhost:{self.server.port}",
                   TLSHOP_TEST_CA=str(self.ca / "root.crt"),
                   TLSHOP_TEST_CERT=str(self.dir / "alice.crt"),
                   TLSHOP_TEST_KEY=str(self.dir / "alice.key"), TLSHOP_TEST_PASSWORD=PASSWORD)
        for transport, port in [("tcp", self.server.port), ("udp", self.server.udp_port)]:
            with self.subTest(transport=transport):
                env.update(TLSHOP_TEST_SERVER=f"localhost:{port}", TLSHOP_TEST_TRANSPORT=transport)
                result = subprocess.run([os.environ["ASYNC_CLIENT_TESTS"], "--gtest_brief=1"],
                                        cwd=self.dir, env=env, capture_output=True, text=True,
                                        timeout=120)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn("[  PASSED  ] 8 tests.", result.stdout)
        self.assertEqual(self.stock("A1"), 6)  # 2 bought over each transport


if __name__ == "__main__":
    unittest.main()
