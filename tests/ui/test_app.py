"""Start-up decisions made before Qt loads: sandbox and offscreen (no Qt needed to test them)."""

from __future__ import annotations

import pytest

from ui import app


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "QT_QPA_PLATFORM",
        "QTWEBENGINE_DISABLE_SANDBOX",
        "QTWEBENGINE_CHROMIUM_FLAGS",
        "INSPECTOR_NO_SANDBOX",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    return monkeypatch


def test_sandbox_stays_on_for_a_normal_user(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(app, "_is_root", lambda: False)
    clean_env.setenv("DISPLAY", ":0")
    assert app.prepare_environment() is False
    assert "QTWEBENGINE_DISABLE_SANDBOX" not in app.os.environ
    assert "QT_QPA_PLATFORM" not in app.os.environ


def test_sandbox_is_dropped_for_root(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(app, "_is_root", lambda: True)
    clean_env.setenv("DISPLAY", ":0")
    app.prepare_environment()
    assert app.os.environ["QTWEBENGINE_DISABLE_SANDBOX"] == "1"


def test_sandbox_is_dropped_when_asked(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(app, "_is_root", lambda: False)
    clean_env.setenv("INSPECTOR_NO_SANDBOX", "1")
    clean_env.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert app.prepare_environment() is False
    assert app.os.environ["QTWEBENGINE_DISABLE_SANDBOX"] == "1"


def test_no_display_means_offscreen(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(app, "_is_root", lambda: False)
    clean_env.setenv("QTWEBENGINE_CHROMIUM_FLAGS", "--foo")
    assert app.prepare_environment() is True
    assert app.os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert app.os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] == "--foo --disable-gpu"


def test_an_explicit_platform_is_respected(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(app, "_is_root", lambda: False)
    clean_env.setenv("QT_QPA_PLATFORM", "vnc")
    assert app.prepare_environment() is False
    assert app.os.environ["QT_QPA_PLATFORM"] == "vnc"


def test_other_systems_are_never_forced_offscreen(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(app, "_is_root", lambda: False)
    clean_env.setattr(app.sys, "platform", "win32")
    assert app.prepare_environment() is False
