#!/usr/bin/python3
"""The example programs of examples/ (C ABI and C++ API) sign in against the local
authority by the device code flow and print the user id (issue 3, item 5)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ALICE, BUILD_ROOT, CLIENT_ID, RESOURCE, WorldTestCase  # noqa: E402


class ExamplesTest(WorldTestCase):
    world_options = {"keyring": False}

    def run_example(self, name):
        program = BUILD_ROOT / "examples" / name
        self.assertTrue(program.exists(), f"{program} not built")
        self.world.behaviour(approve_after_polls=1, user=ALICE)
        return self.world.run([str(program), self.world.authority_url, CLIENT_ID, RESOURCE,
                               self.world.ca])

    def check_signed_in(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("enter the code", result.stderr)  # the authority's message was shown
        lines = result.stdout.splitlines()
        self.assertIn(f"userId: {ALICE}", lines)
        self.assertTrue(any(line.startswith("expiresOn: 20") for line in lines), lines)
        self.assertEqual(len(self.world.requests("/devicecode")), 1)

    def test_c_example(self):
        self.check_signed_in(self.run_example("device_code_c"))

    def test_cpp_example(self):
        self.check_signed_in(self.run_example("device_code_cpp"))

    def test_c_example_reports_errors(self):
        program = BUILD_ROOT / "examples" / "device_code_c"
        self.assertTrue(program.exists(), f"{program} not built")
        self.world.behaviour(approve_after_polls=0, decline=True)
        result = self.world.run([str(program), self.world.authority_url, CLIENT_ID, RESOURCE,
                                 self.world.ca])
        self.assertEqual(result.returncode, 1)
        self.assertIn("acquire_token_with_device_code failed", result.stderr)
        self.assertIn("authorization_declined", result.stderr)


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
