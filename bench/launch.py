"""Run the reportgen command line in this process, then record this process's peak memory and its workers'.

    python bench/launch.py USAGE.json generate inputs/2023-06.xlsx …

The same as the ``reportgen`` console script (which only imports
``reportgen.cli.app`` and calls ``main``), except that on the way out it writes
``{"exit": …, "self_peak_mib": …, "children_peak_mib": …}``: the parent's own RSS
high-water mark and the largest among the worker processes it waited for
(``reportgen run --jobs N`` waits for its pool before it returns).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def maxrss_mib(maxrss: int) -> float:
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def main() -> int:
    usage_file = Path(sys.argv[1])
    sys.argv = ["reportgen", *sys.argv[2:]]  # reportgen.cli.app.main reads its arguments from sys.argv
    from reportgen.cli.app import main as reportgen_main

    try:
        code = reportgen_main()
    except SystemExit as exit_:  # click ends with SystemExit; its code is the command's exit status
        code = exit_.code
    code = code if isinstance(code, int) else (0 if code is None else 1)
    usage_file.write_text(json.dumps({
        "exit": code,
        "self_peak_mib": maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "children_peak_mib": maxrss_mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
    }))
    return code


if __name__ == "__main__":
    sys.exit(main())
