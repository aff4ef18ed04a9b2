"""Compiled page templates kept in the instance folder (INSTANCE/cache/templates/<versions>), so
each new worker reads them back instead of compiling them again (a fifth of a first page).

Jinja keys a compiled template by its name, path and source, not by Jinja's own release: the
folder is named by the Jinja and Python versions, and older folders are removed at start. The
cache never takes a page down: a file it cannot write (a full disk, a folder removed while the
server runs) or read back (a damaged file) is a miss, and the template is compiled as before."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import jinja2
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

log = logging.getLogger(__name__)


def folder_for(instance: Path) -> Path:
    version = f"jinja-{jinja2.__version__}-py{sys.version_info.major}.{sys.version_info.minor}"
    return instance / "cache" / "templates" / version


class SafeCache(FileSystemBytecodeCache):
    """Jinja's file cache whose failures are misses, never errors."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or unreadable file: compile the template again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError as error:
            log.warning("compiled template not kept (%s): %s", self.directory, error)


def for_instance(instance: Path) -> SafeCache:
    """The instance's cache, in the folder of this Jinja and Python; other versions' removed."""
    folder = folder_for(instance)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for other in folder.parent.iterdir():
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
    except OSError as error:
        log.warning("no compiled templates kept (%s): %s", folder, error)
    return SafeCache(str(folder))
