"""Media files as connectors read them: a path on this machine, wherever the file is stored.

Uploaded media live in Django's default storage: the local disk (``MEDIA_ROOT``) by default,
or an S3-compatible bucket (``MEDIA_STORAGE=s3``, docs/admin.md). Connectors upload files to
the networks from a local path, so a file kept in a bucket is copied to a temporary file for
the length of one publication and removed afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile


def local_path(field: FieldFile, stack: ExitStack) -> str:
    """A path to read ``field``'s content from, valid until ``stack`` closes."""
    try:
        return field.storage.path(field.name)
    except NotImplementedError:
        pass
    suffix = PurePosixPath(field.name).suffix
    # Closed (and so deleted) when the stack closes.
    copy = stack.enter_context(tempfile.NamedTemporaryFile(prefix="pregonero-media-", suffix=suffix))  # noqa: SIM115
    with field.storage.open(field.name, "rb") as source:
        shutil.copyfileobj(source, copy)
    copy.flush()
    return copy.name
