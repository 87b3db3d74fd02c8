#!/usr/bin/python3
"""--ca-file naming something that is not a regular file (issue 9). libcurl opens the CA
bundle with a blocking open(2): a FIFO nobody writes to hangs `aadcred token` for ever.
aadcred refuses anything but a regular file (a link to one is fine), promptly, naming the
file, before any request. The subprocess timeout is the hang detector.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import CLIENT_ID, RESOURCE, WorldTestCase, binary  # noqa: E402

# Far more than a refusal needs, far less than "for ever".
HANG_SECONDS = 30


class HostileCaFileTest(WorldTestCase):
    world_options = {"keyring": False}

    def token(self, ca_file):
        argv = [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", ca_file, "--store", "memory", "--resource", RESOURCE,
                "token"]
        try:
            return self.world.run(argv, timeout=HANG_SECONDS)
        except Exception as error:  # subprocess.TimeoutExpired: the hang this is about
            self.fail(f"aadcred token --ca-file {ca_file} did not return: {error}")

    def assert_refused(self, result, path, why):
        self.assertIn(result.returncode, (1, 2), result.stderr)
        self.assertIn(f"Cannot use CA file '{path}'", result.stderr)
        self.assertIn(why, result.stderr)
        self.assertEqual(result.stdout, "")
        # Refused before any request: nothing reached the authority.
        self.assertEqual(self.world.requests(), [])

    def test_fifo_is_refused_promptly(self):
        fifo = self.world.tmp / "ca.fifo"
        if not fifo.exists():
            os.mkfifo(fifo)
        self.assert_refused(self.token(str(fifo)), fifo, "not a regular file")

    def test_directory_is_refused(self):
        self.assert_refused(self.token(str(self.world.certs)), self.world.certs, "directory")

    def test_device_is_refused(self):
        self.assert_refused(self.token("/dev/null"), "/dev/null", "not a regular file")

    def test_missing_file_is_named(self):
        missing = self.world.tmp / "no-such-ca.pem"
        self.assert_refused(self.token(str(missing)), missing, "No such file or directory")

    def test_link_to_the_real_bundle_still_works(self):
        link = self.world.tmp / "ca-link.pem"
        if not link.exists():
            link.symlink_to(self.world.ca)
        self.world.behaviour(approve_after_polls=0)
        result = self.token(str(link))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotEqual(self.world.token_requests(), [])


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
