"""Named crash points, for the tests that kill a run at each step (exactly-once delivery).

Setting the environment variable ``REPORTGEN_FAILPOINT`` to one of :data:`POINTS`
makes the process kill itself with SIGKILL when it reaches that point — no
cleanup, no ``finally``, exactly as if the power went out.  ``NAME:pause``
instead says so on stderr and waits, for a test to send a signal of its own
(SIGTERM, SIGHUP) at that very point.  Unset (always, in normal use) a failpoint
costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import sys
import time

ENV = "REPORTGEN_FAILPOINT"
POINTS = (
    "after_generation",
    "after_queue",
    "before_send",
    "after_accept",
    "failure_recorded",
    "publishing",
    "holding",
    "issue_held",
    "issue_registered",
    "writing.eml",
    "writing.txt",
)
"""``failure_recorded``: a permanent failure and its notice written, not yet committed; ``publishing``: a
report's files staged, not yet renamed into place; ``writing.<ext>``: a temporary file written, not yet
renamed (the spool and outbox's .eml, a receipt's .txt); ``holding``: an issued report's files signed, not yet
held; ``issue_held``: held, not yet registered; ``issue_registered``: registered, not yet moved into place."""
PAUSED = "failpoint reached"


def failpoint(name: str) -> None:
    wanted = os.environ.get(ENV)
    if wanted is None or not wanted.startswith(name):
        return
    if wanted == name:
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)  # Windows: no SIGKILL; leave at once, skipping every cleanup handler
    if wanted == f"{name}:pause":
        print(f"{PAUSED}: {name}", file=sys.stderr, flush=True)
        time.sleep(600)
