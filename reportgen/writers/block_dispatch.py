"""One method per block type, and an error for a block type a writer lacks.

Like docutils' NodeVisitor: ``render(block)`` calls ``self.block_<ClassName>``;
a missing method raises :class:`UnsupportedBlock`, so no content is ever
dropped silently.
"""

from __future__ import annotations

from typing import Any

from reportgen.document.model import UnsupportedBlock


class BlockDispatcher:
    name = "abstract"

    def render(self, block: Any, *args: Any) -> Any:
        method = getattr(self, f"block_{type(block).__name__}", None)
        if method is None:
            raise UnsupportedBlock(self.name, block)
        return method(block, *args)
