"""The allocator setting of a bulk run is set once, restored once, and never left behind."""

from __future__ import annotations

import os
import platform
import threading

import pytest

from belnews.check import memory
from belnews.check.memory import DEFAULTS, DURING, reuse_freed_memory


class FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def mallopt(self, parameter: int, value: int) -> int:
        self.calls.append(("mallopt", parameter, value))
        return 1

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(("malloc_trim", pad))
        return 1


SET = [("mallopt", p, v) for p, v in DURING.items()]
RESTORE = [("mallopt", p, v) for p, v in DEFAULTS.items()] + [("malloc_trim", 0)]


def test_nested_runs_set_once_and_restore_once():
    libc = FakeLibc()
    with reuse_freed_memory(libc):
        assert libc.calls == SET
        with reuse_freed_memory(libc):
            assert libc.calls == SET
        assert libc.calls == SET
    assert libc.calls == SET + RESTORE


def test_a_failing_run_restores_the_defaults():
    libc = FakeLibc()
    with pytest.raises(RuntimeError), reuse_freed_memory(libc):
        raise RuntimeError("boom")
    assert libc.calls == SET + RESTORE


def test_overlapping_runs_in_threads_restore_after_the_last():
    libc = FakeLibc()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with reuse_freed_memory(libc):
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with reuse_freed_memory(libc):
        pass
    assert libc.calls == SET  # the other run is still on
    release.set()
    thread.join(5)
    assert libc.calls == SET + RESTORE


class CappedLibc(FakeLibc):
    """A glibc that refuses an mmap threshold over 32 MiB (mallopt answers 0)."""

    def mallopt(self, parameter: int, value: int) -> int:
        super().mallopt(parameter, value)
        return 0 if parameter == memory.M_MMAP_THRESHOLD and value > 32 << 20 else 1


def test_a_refused_threshold_falls_back_to_the_largest_taken():
    libc = CappedLibc()
    with reuse_freed_memory(libc):
        pass
    assert ("mallopt", memory.M_MMAP_THRESHOLD, memory.MMAP_THRESHOLD_CAP) in libc.calls


@pytest.mark.parametrize(
    ("name", "value"),
    [("MALLOC_TRIM_THRESHOLD_", "1000000"), ("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=1")],
)
def test_a_user_tuned_malloc_is_left_alone(monkeypatch, name, value):
    memory._glibc.cache_clear()
    monkeypatch.setenv(name, value)
    try:
        assert memory._glibc() is None
    finally:
        memory._glibc.cache_clear()


def test_without_glibc_nothing_is_called(monkeypatch):
    memory._glibc.cache_clear()
    monkeypatch.setattr(os, "confstr", lambda name: "musl 1.2")
    try:
        assert memory._glibc() is None
        with reuse_freed_memory():
            pass
    finally:
        memory._glibc.cache_clear()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_the_real_allocator_takes_the_setting_and_gives_it_back():
    libc = memory._glibc()
    assert libc is not None
    assert libc.mallopt(memory.M_TOP_PAD, 0) == 1  # glibc answers 1 for a setting it took
    with reuse_freed_memory():
        data = bytearray(64 << 20)  # served while the setting is on
        del data
    assert memory._active == 0
