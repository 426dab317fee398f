"""The ``pregonero`` command: Django's management commands plus a few admin shortcuts.

    pregonero run            web server and worker together (development and small installs)
    pregonero serve          the web server (gunicorn)
    pregonero worker         background tasks and the periodic clock
    pregonero createadmin    create a person with administrator rights
    pregonero createorg      create an organisation
    pregonero audit verify   check the audit log's hash chains
    pregonero archive verify check the archive's hash chains (records, content, tombstones)
    pregonero version        print the version
    pregonero config         print the configuration, secrets masked
    pregonero rotate-keys    re-encrypt stored secrets with the newest key
    pregonero bootstrap_demo create the demo town hall and its administrator

Any other Django management command works too (``pregonero migrate``).
"""

from __future__ import annotations

import os
import sys

# Django answers "version" itself (with its own version), so ours is routed by name.
ALIASES = {"config": "showconfig", "version": "showversion", "rotate-keys": "rotate_keys"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregonero.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    if len(argv) == 1:
        print(__doc__.strip())
        return 0
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pregonero", *argv[1:]])
    return 0
