"""[issue] of reportgen.toml: whether a report needs its signer's approval before it is issued and sent.

With ``approval = true`` (what ``reportgen init`` writes) the report a run builds
is a draft: it goes to ``review_to`` only, marked "DỰ THẢO"; the recipients of
[mail] to get the report once it has been approved, numbered, signed and
issued.  A folder whose reportgen.toml has no [issue] table (made before
issuing existed) keeps the earlier flow: the report goes to [mail] to on its due
day, as with ``approval = false``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.settings.sections import INTERNAL


@dataclass(frozen=True)
class IssueConfig:
    approval: bool = False
    """True: a draft goes to the reviewers; only an issued report goes to [mail] to."""
    review_to: tuple[str, ...] = ()
    """Who reviews the draft (the signer, the head of the drafting office); empty: [mail] staff."""
    declared: bool = field(default=False, metadata=INTERNAL)
    """Whether the file has an [issue] table (a run without one says once how to turn approval on)."""
