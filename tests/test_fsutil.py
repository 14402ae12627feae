"""Outputs appear whole or not at all, readable by colleagues."""

import os
import stat

import pytest

from reportgen.core.files import Stage, atomic_write_text


def test_atomic_write_publishes_with_normal_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "a.txt", "xin chào")
    finally:
        os.umask(umask)
    assert path.read_text(encoding="utf-8") == "xin chào"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_failed_write_leaves_nothing(tmp_path):
    from reportgen.core.files import atomic_path

    with pytest.raises(RuntimeError):
        with atomic_path(tmp_path / "b.txt") as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_stage_publishes_all_or_nothing(tmp_path):
    with Stage() as stage:
        stage.path_for(tmp_path / "x.pdf").write_text("pdf")
        stage.path_for(tmp_path / "x.docx").write_text("docx")
        # leaving without commit: a failed read-back check
    assert list(tmp_path.iterdir()) == []
    with Stage() as stage:
        stage.path_for(tmp_path / "x.pdf").write_text("pdf")
        stage.path_for(tmp_path / "x.docx").write_text("docx")
        stage.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.docx", "x.pdf"]


def test_files_published_from_many_threads_keep_the_umask(tmp_path):
    """Receipts are written by several threads: reading the umask (set it, set it back) must not race."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    umask, interval = os.umask(0o022), sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch between any two bytecodes: a race shows at once
    try:
        with ThreadPoolExecutor(max_workers=8) as writers:
            paths = list(writers.map(lambda n: atomic_write_text(tmp_path / f"r{n}.txt", "biên nhận"), range(400)))
        assert os.umask(0o022) == 0o022
        assert {stat.S_IMODE(path.stat().st_mode) for path in paths} == {0o644}
    finally:
        sys.setswitchinterval(interval)
        os.umask(umask)
