# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bytecode cache for modules imported from zip files, installed in the TEST VM images only.

Ansible runs every module call as a fresh Python process that imports ``ansible.module_utils`` (and
the collection's module_utils) from the AnsiballZ zip it sends. ``zipimport`` cannot write ``.pyc``
files, so each call compiles the same sources again: under QEMU TCG that is about a second per module
call, a third of its cost. This hook, loaded by a ``.pth`` file in the image's site directory,
replaces the ``zipimport`` path hook with a subclass that keeps the compiled code of each source in
``/var/cache/lvmkube-bytecode``, keyed by the source's SHA-256, the interpreter's cache tag and
optimisation level. The code run is exactly the code ``zipimport`` would compile from the same
source (file names inside it are set to the current zip path), so module behaviour is unchanged; a
node without this hook compiles the same code on every call. Any error in the cache falls back to
``zipimport``'s own behaviour.
"""

import hashlib
import marshal
import os
import sys
import types
import zipimport

CACHE_DIR = "/var/cache/lvmkube-bytecode"


def cache_key(source):
    """The cache file name for one source text (str)."""
    digest = hashlib.sha256(source.encode("utf-8", "surrogateescape"))
    digest.update(f"\0{sys.implementation.cache_tag}\0{sys.flags.optimize}".encode())
    return digest.hexdigest()


def with_filename(code, filename):
    """``code`` and every code object nested in it, with ``co_filename`` set to ``filename``."""
    consts = tuple(with_filename(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class CachingZipImporter(zipimport.zipimporter):
    """``zipimport.zipimporter`` that reuses compiled code across processes."""

    cache_dir = CACHE_DIR

    def get_filename(self, fullname):
        # zipimporter.get_filename compiles the module to find its path (and find_spec calls it for
        # every import): name the file without compiling.
        tail = fullname.rpartition(".")[2]
        if self.is_package(fullname):
            return os.path.join(self.archive, self.prefix, tail, "__init__.py")
        return os.path.join(self.archive, self.prefix, tail + ".py")

    def get_code(self, fullname):
        try:
            source = self.get_source(fullname)
        except (ImportError, OSError, UnicodeDecodeError):
            source = None
        if source is None:
            return super().get_code(fullname)
        filename = self.get_filename(fullname)
        path = os.path.join(self.cache_dir, cache_key(source))
        try:
            with open(path, "rb") as handle:
                cached = marshal.load(handle)
            if isinstance(cached, types.CodeType):
                return with_filename(cached, filename)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        code = compile(source, filename, "exec", dont_inherit=True)
        try:
            os.makedirs(self.cache_dir, mode=0o700, exist_ok=True)
            partial = f"{path}.{os.getpid()}.tmp"
            with open(partial, "wb") as handle:
                marshal.dump(code, handle)
            os.replace(partial, path)
        except OSError:
            pass
        return code


def install():
    """Put the caching importer in place of zipimport's path hook (idempotent)."""
    sys.path_hooks[:] = [CachingZipImporter if hook is zipimport.zipimporter else hook for hook in sys.path_hooks]
    sys.path_importer_cache.clear()


install()
