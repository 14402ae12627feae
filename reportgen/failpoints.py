"""Named crash points, for the tests that kill a run at each step (issue: exactly-once delivery).

Setting the environment variable ``REPORTGEN_FAILPOINT`` to one of :data:`POINTS`
makes the process kill itself with SIGKILL when it reaches that point — no
cleanup, no ``finally``, exactly as if the power went out.  Unset (always, in
normal use) a failpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "REPORTGEN_FAILPOINT"
POINTS = ("after_generation", "after_queue", "before_send", "after_accept")


def failpoint(name: str) -> None:
    if os.environ.get(ENV) == name:
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)  # Windows: no SIGKILL; leave at once, skipping every cleanup handler
