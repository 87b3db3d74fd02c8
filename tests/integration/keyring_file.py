"""A gnome-keyring login collection of many accounts, written as a keyring file.

Through the Secret Service gnome-keyring rewrites (and re-encrypts) its whole file for
each item it stores, so 10,000 accounts take hours to store one by one. bench/ratios.py
and test_many_accounts.py instead store one account through aadcred (stored_item), read
that item back with secret-tool, and write an unencrypted keyring file (gnome-keyring's textual format,
pkcs11/secret-store/gkm-secret-textual.c in its source) holding it and count - 1 copies
for other users; gnome-keyring then starts with that file. The items are what aadcred
itself stored, only multiplied.
"""

import json


def stored_item(world, aadcred_base, entry):
    """entry (an ADAL cache entry) stored in the world's Secret Service by `aadcred cache
    import` (aadcred_base: the aadcred command line up to its command), read back as
    secret-tool shows it: label, secret and attributes. The store must hold no other item
    of aadcred's schema: secret-tool prints attributes on stderr and everything else on
    stdout, so with more than one item nothing says which attributes are whose."""
    world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
    imported = world.run(aadcred_base + ["cache", "import", "-"], input=json.dumps([entry]))
    if imported.returncode != 0:
        raise RuntimeError(imported.stderr)
    shown = world.secret_tool("search", "--all", "--unlock", "xdg:schema", "org.aadcred.Token")
    headers = [line for line in shown.stdout.splitlines() if line.startswith("[/")]
    if shown.returncode != 0 or len(headers) != 1:
        raise RuntimeError(f"not one aadcred item in the Secret Service: {shown.stdout}")
    item = {"attributes": {}}
    for line in (shown.stdout + shown.stderr).splitlines():
        name, sep, value = line.partition(" = ")
        if not sep:
            continue
        if name.startswith("attribute."):
            item["attributes"][name[len("attribute."):]] = value
        elif name in ("label", "secret"):
            item[name] = value
    return item


def _escaped(value):
    # GKeyFile's escapes for a string value (g_key_file_get_string undoes them).
    out = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    out = out.replace("\r", "\\r")
    return "\\s" + out[1:] if out.startswith(" ") else out


def clones(template, count, user_of):
    """template and count - 1 copies of it, copy i for user_of(i) with its own tokens."""
    entry = json.loads(template["secret"])
    user = template["attributes"]["user_id"]
    items = [template]
    for i in range(1, count):
        other = user_of(i)
        secret = dict(entry, userId=other, accessToken=f"AT-{i}", refreshToken=f"RT-{i}")
        items.append({
            "label": template["label"].replace(user, other),
            "secret": json.dumps(secret, separators=(",", ":")),
            "attributes": dict(template["attributes"], user_id=other.lower()),
        })
    return items


def textual_keyring(items):
    """The text of an unencrypted login keyring file holding `items`."""
    lines = ["[keyring]", "display-name=Login", "ctime=0", "mtime=0", "lock-on-idle=false",
             "lock-after=false", ""]
    for number, item in enumerate(items, start=1):
        lines += [f"[{number}]", "item-type=0", f"display-name={_escaped(item['label'])}",
                  f"secret={_escaped(item['secret'])}", "mtime=0", "ctime=0", ""]
        attributes = dict(item["attributes"], **{"xdg:schema": "org.aadcred.Token"})
        for index, (name, value) in enumerate(sorted(attributes.items())):
            lines += [f"[{number}:attribute{index}]", f"name={_escaped(name)}", "type=string",
                      f"value={_escaped(value)}", ""]
    return "\n".join(lines)
