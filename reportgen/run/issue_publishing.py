"""The issued report's files go into place only once the register holds them, and a kill in between is settled.

``reportgen issue`` signs into temporary files, renames them to *held* files (hidden, beside their
destination: ``outputs/2023-06/.bao-cao-2023-06-lan-1-so-01-2023.pdf.rg4711.held``), records the issue
in the ledger in one transaction — with the path and SHA-256 of each file — and only then moves the held
files into place.  A process killed at any step leaves one of:

- temporary ``.part`` files: removed by the sweep, like any killed process's;
- held files that no register entry owns (killed before the transaction committed): removed — the number
  was never taken, so a file bearing it must never be taken for output;
- held files that a register entry owns (killed after the commit): moved into place, once their SHA-256
  is the one recorded, so the register never holds a document without its files.

:func:`settle_held_issues` runs at the start of every command that sweeps the working folder (under the
folder's lock), before anything reads outputs/.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.core.files import held_files, publish_held, sha256_file
from reportgen.delivery.ledger import Ledger
from reportgen.settings.workspace import Workspace


def settle_held_issues(workspace: Workspace, ledger: Ledger) -> list[str]:
    """Publish or remove what a killed ``issue`` held; return what was done, in Vietnamese, for the receipt."""
    done: list[str] = []
    owned: dict[Path, str] | None = None
    for held, target in held_files(workspace.shared_outputs):
        if owned is None:  # read the register only when a killed issue left something
            owned = _registered_files(workspace, ledger)
        shown = _shown(workspace, target)
        recorded = owned.get(target)
        if recorded is not None and target.is_file() and sha256_file(target) == recorded:
            held.unlink()
        elif recorded is not None and sha256_file(held) == recorded:
            publish_held({target: held})
            done.append(f"Hoàn tất ban hành bị ngắt giữa chừng: đã đưa {shown} vào chỗ (đúng tệp đã vào sổ).")
        else:
            held.unlink()
            done.append(
                f"Đã xóa {shown} của lần ban hành bị ngắt trước khi vào sổ (số văn bản đó chưa được cấp)."
                if recorded is None
                else f"Đã xóa bản tạm của {shown}: không đúng tệp đã vào sổ."
            )
    return done


def _registered_files(workspace: Workspace, ledger: Ledger) -> dict[Path, str]:
    """Every file the register holds → its recorded SHA-256."""
    owned = {}
    for issued in ledger.all_issued():
        for info in issued.files.values():
            path = Path(info["path"])
            owned[path if path.is_absolute() else workspace.root / path] = info["sha256"]
    return owned


def _shown(workspace: Workspace, path: Path) -> str:
    try:
        return path.relative_to(workspace.root).as_posix()
    except ValueError:
        return str(path)
