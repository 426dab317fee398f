"""A dispatcher in a process of its own, for the crash and race tests.

    python worker_process.py once NAME            claim and send one publication
    python worker_process.py batch NAME           reserve several due publications and send them
    python worker_process.py loop NAME START_AT   from time START_AT, send until nothing is due

DATABASE_URL names the shared test database. Prints what it did as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(mode: str, name: str, *extra: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregonero.settings")
    import django

    django.setup()
    from django.conf import settings

    # The sink listens on loopback.
    settings.OUTBOUND_ALLOW_PRIVATE = True
    from pregonero.publishing import dispatch, tasks

    if mode == "once":
        print(json.dumps(dispatch.dispatch_next(name)), flush=True)
    elif mode == "batch":
        print(json.dumps(dispatch.dispatch_some(name)), flush=True)
    else:
        time.sleep(max(0.0, float(extra[0]) - time.time()))
        print(json.dumps(dict(tasks.run_dispatcher(name, until_idle=True))), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
