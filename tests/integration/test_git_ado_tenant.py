#!/usr/bin/python3
"""Azure DevOps tenant discovery (SPEC §5, issue 11, git-credential-aadcred(1)).

With no settings and no wwwauth[] (git before 2.41), the helper asks the organisation
which tenant it belongs to with one unauthenticated request, remembers the answer per
organisation, and signs in at `organizations` only when that fails. A recording CONNECT
proxy on loopback (connect_proxy.py) sends https://dev.azure.com/... to the local git
server, whose certificate also names dev.azure.com and which answers
`X-VSS-ResourceTenant`, so the probe is real HTTPS with verification on.
"""
import os
import re
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402
from connect_proxy import ConnectProxy, closed_port_url  # noqa: E402

TENANT = "cceba14c-6a00-49ac-b806-84de52bf1d42"  # the git server's (tests/authority)
TENANT_AUTHORITY = "https://login.microsoftonline.com/" + TENANT
ORGANIZATIONS = "https://login.microsoftonline.com/organizations"


class AzureDevOpsTenantTest(harness.WorldTestCase):
    world_options = {"keyring": False, "git": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        w = cls.world
        port = int(w.git_server.url.rsplit(":", 1)[1])
        cls.proxy = ConnectProxy("127.0.0.1", port)
        cls.helper = harness.binary("git-credential-aadcred")
        for prefix in ("https://dev.azure.com", "https://fabrikam.visualstudio.com"):
            w.git_config_global((f"credential.{prefix}.aadcredStore", "memory"),
                                (f"credential.{prefix}.aadcredCaFile", w.ca))
        cls.cache_dir = w.home / ".cache" / "aadcred" / "azure-devops"

    @classmethod
    def tearDownClass(cls):
        cls.proxy.close()
        super().tearDownClass()

    def git_server_log(self):
        import json
        import ssl
        import urllib.request
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=self.world.ca)))
        with opener.open(self.world.git_server.url + "/_log", timeout=30) as resp:
            return json.loads(resp.read().decode())

    def get(self, text, proxy=None):
        """`get` with prompting off: the authority it would sign in at is in stderr."""
        env = dict(self.world.env, GIT_TERMINAL_PROMPT="0", https_proxy=proxy or self.proxy.url)
        result = subprocess.run(harness.wrapped([self.helper, "get"]), input=text.encode(),
                                capture_output=True, env=env, timeout=120)
        self.world.logs.sink([self.helper, "get"]).append(
            result.stderr.decode("utf-8", "replace"))
        self.assertEqual((result.returncode, result.stdout), (3, b""), result.stderr)
        m = re.search(rb"a sign-in to (\S+) is needed", result.stderr)
        self.assertIsNotNone(m, result.stderr)
        return m.group(1).decode()

    def test_one_probe_names_the_tenant_then_it_is_remembered(self):
        connects = len(self.proxy.targets())
        probes = len(self.git_server_log())
        text = "protocol=https\nhost=dev.azure.com\nusername=contoso\n\n"
        self.assertEqual(self.get(text), TENANT_AUTHORITY)
        self.assertEqual(self.proxy.targets()[connects:], ["dev.azure.com:443"])
        log = self.git_server_log()[probes:]
        self.assertEqual([(e["method"], e["path"], e["auth"], e["status"]) for e in log],
                         [("GET", "/contoso/", False, 401)])
        cached = self.cache_dir / "contoso"
        self.assertEqual(cached.read_text(), TENANT_AUTHORITY + "\n")
        self.assertEqual(stat.S_IMODE(cached.stat().st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(self.cache_dir.stat().st_mode), 0o700)

        # The second time: the remembered tenant, no request at all.
        self.assertEqual(self.get(text), TENANT_AUTHORITY)
        self.assertEqual(len(self.proxy.targets()), connects + 1)
        self.assertEqual(len(self.git_server_log()), probes + 1)

    def test_a_visualstudio_organisation_is_probed_at_its_own_host(self):
        connects = len(self.proxy.targets())
        text = "protocol=https\nhost=fabrikam.visualstudio.com\n\n"
        self.assertEqual(self.get(text), TENANT_AUTHORITY)
        self.assertEqual(self.proxy.targets()[connects:], ["fabrikam.visualstudio.com:443"])
        self.assertEqual(self.git_server_log()[-1]["path"], "/")

    def test_a_failed_probe_means_organizations_and_nothing_remembered(self):
        text = "protocol=https\nhost=dev.azure.com\nusername=unreachable-org\n\n"
        self.assertEqual(self.get(text, proxy=closed_port_url()), ORGANIZATIONS)
        self.assertFalse((self.cache_dir / "unreachable-org").exists())
        # Once the organisation answers, its tenant is found after all.
        self.assertEqual(self.get(text), TENANT_AUTHORITY)

    def test_the_challenge_git_forwards_needs_no_probe(self):
        connects = len(self.proxy.targets())
        text = ("protocol=https\nhost=dev.azure.com\nusername=challenged\n"
                "wwwauth[]=Bearer authorization_uri=https://login.microsoftonline.com/"
                "72f988bf-86f1-41af-91ab-2d7cd011db47\n\n")
        self.assertEqual(self.get(text), "https://login.microsoftonline.com/"
                                         "72f988bf-86f1-41af-91ab-2d7cd011db47")
        self.assertEqual(len(self.proxy.targets()), connects)

    def test_a_tampered_cache_file_is_not_believed(self):
        self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        planted = self.cache_dir / "tampered"
        planted.write_text("https://evil.example/phish\n")
        planted.chmod(0o600)
        connects = len(self.proxy.targets())
        text = "protocol=https\nhost=dev.azure.com\nusername=tampered\n\n"
        self.assertEqual(self.get(text), TENANT_AUTHORITY)
        self.assertEqual(len(self.proxy.targets()), connects + 1)  # probed instead
        self.assertEqual(planted.read_text(), TENANT_AUTHORITY + "\n")


if __name__ == "__main__":
    harness.main()
