# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE of ``dpkg-query -W -f=FORMAT NAME...``. Reads no package database.

A test writes a ``dpkg-query`` wrapper that runs this file into a directory placed first on PATH, so that
lvmkube.cluster.node_state_info (option ``packages``) asks it instead of dpkg. The packages it calls
installed are those listed, comma-separated, in LVMKUBE_DPKG_DOUBLE_INSTALLED. Like dpkg-query it prints
``FORMAT`` for each known package (``${Package}`` and ``${db:Status-Abbrev}`` are filled in, ``ii `` for
installed) and "no packages found matching NAME" on stderr with exit code 1 for the others.
"""

from __future__ import annotations

import os
import sys


def main(argv):
    installed = {name for name in os.environ.get("LVMKUBE_DPKG_DOUBLE_INSTALLED", "").split(",") if name}
    fmt, names = "${Package}\t${db:Status-Abbrev}\n", []
    for arg in argv:
        if arg.startswith("-f="):
            fmt = arg[3:]
        elif arg.startswith("--showformat="):
            fmt = arg[len("--showformat=") :]
        elif arg not in {"-W", "--show"}:
            names.append(arg)
    rc = 0
    for name in names:
        if name in installed:
            sys.stdout.write(fmt.replace("${Package}", name).replace("${db:Status-Abbrev}", "ii ").replace("\\n", "\n"))
        else:
            sys.stderr.write(f"dpkg-query: no packages found matching {name}\n")
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
