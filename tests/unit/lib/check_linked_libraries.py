#!/usr/bin/python3
"""libaadcred.so links none of the libraries it loads on demand (issue 12): libcurl,
libxml2, libsecret, GLib, GObject and GIO are dlopen()ed by the code that needs them
(src/core/http/curl_library.cpp, src/core/wstrust/xml_library.cpp,
src/cache/glib_library.cpp, src/cache/secret_library.cpp). So the library neither names
them as NEEDED nor leaves any of their functions for the loader to bind: one stray macro
(g_clear_error, SECRET_ITEM, G_VARIANT_TYPE...) that calls GLib behind the table would
bring GLib back into every process that loads the library (sshd, through pam_aadcred).

usage: check_linked_libraries.py NM READELF LIBRARY
"""
import re
import subprocess
import sys

LAZY_SONAMES = re.compile(r"lib(curl|xml2|secret-1|glib-2\.0|gobject-2\.0|gio-2\.0)\.so")
LAZY_FUNCTIONS = re.compile(r"^(curl_|xml|g_|secret_)")


def main(nm, readelf, library):
    undefined = subprocess.run([nm, "-D", "--undefined-only", library], check=True,
                               capture_output=True, text=True).stdout.split()
    symbols = sorted({name.split("@")[0] for name in undefined
                      if name != "U" and LAZY_FUNCTIONS.match(name)})
    dynamic = subprocess.run([readelf, "-d", library], check=True, capture_output=True,
                             text=True).stdout
    needed = sorted(set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^]]+)\]", dynamic)))
    linked = [name for name in needed if LAZY_SONAMES.match(name)]
    for name in symbols:
        print(f"{library}: calls {name} directly (it must go through the loaded table)")
    for name in linked:
        print(f"{library}: links {name} (it must be loaded on demand)")
    if not needed:
        print(f"{library}: readelf shows no NEEDED entry at all: the check cannot see")
        return 1
    print(f"{0 if symbols or linked else 1} passed, {1 if symbols or linked else 0} failed")
    return 1 if symbols or linked else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
