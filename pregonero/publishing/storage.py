"""Media files as connectors read them: a path on this machine, wherever the file is stored.

Uploaded media live in Django's default storage: the local disk (``MEDIA_ROOT``) by default,
or an S3-compatible bucket (``MEDIA_STORAGE=s3``, docs/admin.md). Connectors upload files to
the networks from a local path, so a file kept in a bucket is copied to a temporary file for
the length of one publication and removed afterwards.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError,)
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # the bucket backend is optional
        return errors
    return (*errors, BotoCoreError, ClientError)


@contextmanager
def storing_files() -> Iterator[None]:
    """Turn a storage that cannot take a file (full disk, bucket unreachable) into a message on
    the file field; the post and everything already saved stay as they were."""
    try:
        yield
    except _storage_errors() as error:
        logger.error("Media storage refused a file: %s", error)
        raise ValidationError(
            {
                "file": _(
                    "The file could not be stored (the server's storage may be full or unreachable). "
                    "The post is safe; try again later or tell your administrator."
                )
            }
        ) from error


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
